import VNNLib

extension OutputPolytope {
    /// `max_i (c_i·y − d_i)`: at most zero exactly when `y` satisfies every (non-strict) row. The loss that
    /// falsification minimises.
    func violationMargin(_ y: [Double]) -> Double {
        var worst = -Double.infinity
        for i in 0..<rowCount { worst = Swift.max(worst, rowValue(i, y) - bounds[i]) }
        return worst
    }

    /// `min_i (d_i − c_i·y)`: how far inside the polytope `y` lies (rounded; +∞ for a polytope without rows).
    func slack(at y: [Double]) -> Double { -violationMargin(y) }

    /// The row attaining ``violationMargin(_:)``.
    func worstRow(_ y: [Double]) -> Int {
        var best = 0
        var worst = -Double.infinity
        for i in 0..<rowCount {
            let m = rowValue(i, y) - bounds[i]
            if m > worst { worst = m; best = i }
        }
        return best
    }

    /// True when `y` satisfies every row exactly.
    func contains(_ y: [Double]) -> Bool { isSatisfied(by: y) }

    /// True when the Float32 output satisfies every row exactly.
    func contains(_ y: [Float]) -> Bool { isSatisfied(by: y) }

    private func rowValue(_ i: Int, _ y: [Double]) -> Double {
        let n = coefficients.columns
        return coefficients.storage.withUnsafeBufferPointer { c in
            var s = 0.0
            for j in 0..<n where c[i * n + j] != 0 { s += c[i * n + j] * y[j] }
            return s
        }
    }
}
