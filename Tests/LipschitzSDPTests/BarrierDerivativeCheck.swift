import Testing
import Tensor

/// Checks a barrier's analytic gradient and Hessian against central differences at `x`: the gradient against
/// differences of the barrier's value, each Hessian column against differences of the analytic gradient.
struct BarrierDerivativeCheck {
    /// −log det of the cone matrix at a point, nil outside the cone.
    let value: ([Double]) -> Double?
    /// The analytic gradient and Hessian at a point inside the cone.
    let derivatives: ([Double]) throws -> (gradient: [Double], hessian: Matrix)

    func check(at x: [Double], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(value(x) != nil, "the point is strictly feasible", sourceLocation: sourceLocation)
        let (gradient, hessian) = try derivatives(x)
        for a in x.indices {
            let h = 1e-5 * max(abs(x[a]), 1e-2)
            var up = x, down = x
            up[a] += h
            down[a] -= h
            let fu = try #require(value(up), sourceLocation: sourceLocation)
            let fd = try #require(value(down), sourceLocation: sourceLocation)
            let numeric = (fu - fd) / (2 * h)
            #expect(abs(numeric - gradient[a]) <= 1e-5 * max(1, abs(numeric)), "∂\(a): \(gradient[a]) vs \(numeric)",
                    sourceLocation: sourceLocation)
            let gu = try derivatives(up).gradient, gd = try derivatives(down).gradient
            for b in x.indices {
                let column = (gu[b] - gd[b]) / (2 * h)
                #expect(abs(column - hessian[b, a]) <= 1e-4 * max(1, abs(column)),
                        "H[\(b),\(a)]: \(hessian[b, a]) vs \(column)", sourceLocation: sourceLocation)
            }
        }
    }
}
