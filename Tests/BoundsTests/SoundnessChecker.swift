@testable import Bounds
import Network
import Tensor

/// Counts sampled inputs whose tensors or objective values fall outside computed bounds.
struct SoundnessChecker {
    let network: Network
    let objective: Matrix
    let splits: SplitSet

    struct Report {
        var checked = 0
        var tensorViolations = 0
        var objectiveViolations = 0
        var linearBoundViolations = 0
    }

    /// True when `trace` satisfies every split decision.
    func satisfiesSplits(_ trace: [[Double]]) -> Bool {
        splits.splits.allSatisfy { s in
            let v = trace[s.layer][s.neuron]
            return s.isActive ? v >= 0 : v <= 0
        }
    }

    /// The samples that lie in the split region.
    func inside(_ samples: [[Double]]) -> [[Double]] {
        let tracer = ReferenceTracer(network)
        return samples.filter { satisfiesSplits(tracer.trace($0)) }
    }

    /// Checks every sample against every bounds record and every result (one trace per sample).
    func check(samples: [[Double]], bounds: [IntermediateBounds], results: [LinearBoundResult]) -> Report {
        var report = Report()
        let tracer = ReferenceTracer(network)
        for x in samples {
            let trace = tracer.trace(x)
            guard satisfiesSplits(trace) else { continue }
            report.checked += 1
            for b in bounds {
                for (i, t) in trace.enumerated() where !b.tensors[i].contains(t) { report.tensorViolations += 1 }
            }
            let y = trace[trace.count - 1]
            let values = objective.multiplied(by: y)
            for result in results {
                for r in 0..<objective.rows {
                    if values[r] < result.lower[r] { report.objectiveViolations += 1 }
                    let a = result.inputCoefficients.row(r)
                    let linear = Vector.dot(a, x) + result.inputConstants[r]
                    let scale = zip(a, x).reduce(abs(result.inputConstants[r]) + abs(values[r])) { $0 + abs($1.0 * $1.1) }
                    if linear > values[r] + 1e-9 * scale + 1e-12 { report.linearBoundViolations += 1 }
                }
            }
        }
        return report
    }
}
