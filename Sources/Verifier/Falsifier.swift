import Network
import VNNLib
import Tensor

/// Counterexample search: random sampling followed by projected gradient descent (PGD, Madry et al. 2018) on
/// the violation margin `max_i (c_i·f(x) − d_i)` of each output region, with sign-gradient steps scaled to the
/// box's widths. Every candidate goes through ``WitnessCheck/confirm(_:box:inputRegion:region:caseIndex:disjunctIndex:)``.
struct Falsifier: Sendable {
    let witness: WitnessCheck
    let options: AttackOptions

    var network: Network { witness.network }

    /// Samples the box, then runs PGD from the best points (and from `starts`) towards each region.
    /// - Returns: a confirmed counterexample, or nil.
    func search(
        box: Box, inputRegion: InputRegion, regions: [OutputPolytope], regionIndices: [Int], caseIndex: Int,
        starts: [[Double]],
        samples: Int, restarts: Int, rng: inout SplitMix64, deadline: ContinuousClock.Instant
    ) -> Counterexample? {
        guard !regions.isEmpty else { return nil }
        // Best starting point per region, by violation margin.
        var best = [(margin: Double, x: [Double])](repeating: (.infinity, box.center), count: regions.count)
        var candidates = starts
        candidates.append(box.center)
        // Every other sample lies on a face of the box: each coordinate is at its lower or upper bound with
        // probability 1/4 each. Violations often sit at the box's boundary, where uniform samples rarely land
        // (ACAS Xu 1_9 prop_7: a witness with margin −4e-4 at a face, found by face samples at once and by
        // neither uniform sampling nor PGD in 60 s).
        for i in 0..<samples {
            candidates.append((0..<box.dimension).map { j in
                let u = unit(&rng)
                if i % 2 == 1, u < 0.5 { return u < 0.25 ? box.lower[j] : box.upper[j] }
                return box.lower[j] + (box.upper[j] - box.lower[j]) * (i % 2 == 1 ? unit(&rng) : u)
            })
        }
        for x in candidates {
            let y = network.evaluate(x)
            for (k, region) in regions.enumerated() {
                let m = region.violationMargin(y)
                if m <= 0, let cex = witness.confirm(x, box: box, inputRegion: inputRegion, region: region,
                                                     caseIndex: caseIndex, disjunctIndex: regionIndices[k]) {
                    return cex
                }
                if m < best[k].margin { best[k] = (m, x) }
            }
        }
        for (k, region) in regions.enumerated() {
            for r in 0..<restarts {
                if ContinuousClock.now >= deadline { return nil }
                let start = r == 0 ? best[k].x
                    : (0..<box.dimension).map { box.lower[$0] + (box.upper[$0] - box.lower[$0]) * unit(&rng) }
                if let cex = descend(from: start, box: box, inputRegion: inputRegion, region: region,
                                     caseIndex: caseIndex, disjunctIndex: regionIndices[k]) {
                    return cex
                }
            }
        }
        return nil
    }

    /// PGD from `start` on one region.
    func descend(
        from start: [Double], box: Box, inputRegion: InputRegion, region: OutputPolytope, caseIndex: Int,
        disjunctIndex: Int
    ) -> Counterexample? {
        func confirm(_ x: [Double]) -> Counterexample? {
            witness.confirm(x, box: box, inputRegion: inputRegion, region: region, caseIndex: caseIndex,
                            disjunctIndex: disjunctIndex)
        }
        // A region without rows is the whole output space: there is no margin to descend on.
        guard region.rowCount > 0 else { return confirm(start) }
        var x = start
        let widths = box.widths
        let steps = Swift.max(1, options.steps)
        for t in 0..<steps {
            let y = network.evaluate(x)
            if region.violationMargin(y) <= 0, let cex = confirm(x) { return cex }
            let row = region.worstRow(y)
            let (_, g) = network.valueAndGradient(at: x, outputWeights: region.coefficients.row(row))
            let step = options.initialStepFraction * (1 - Double(t) / Double(steps))
            var moved = false
            for j in 0..<x.count where g[j] != 0 && widths[j] > 0 {
                let next = Swift.min(Swift.max(x[j] - step * widths[j] * (g[j] > 0 ? 1 : -1), box.lower[j]), box.upper[j])
                if next != x[j] { moved = true }
                x[j] = next
            }
            if !moved { break }
        }
        let y = network.evaluate(x)
        return region.violationMargin(y) <= 0 ? confirm(x) : nil
    }
}

/// A uniform number in [0, 1) from 53 random bits.
@inline(__always)
func unit(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1p-53 }
