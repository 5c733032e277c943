import Network
import VNNLib

extension MultiNetworkProblem {
    /// The query's counterexample for a counterexample of ``product``, or nil unless it is confirmed on every
    /// network separately.
    ///
    /// The product's input `z` (Float32 values) maps to the query's input `x = z[sharedIndex]`, which must lie
    /// in its case's exact region and satisfy the case's input constraints (the ties) exactly. Then each
    /// network evaluates its own part of `x` in Float64 and in Float32, and replays its stored graph when one
    /// was given; the concatenated outputs of each kind must all lie in the disjunct's output region. The
    /// returned counterexample is over the query's flat input and output vectors: `output` the Float64 passes,
    /// `outputFloat32` the Float32 passes, `replayOutput` the replays when every network has a stored graph.
    public func confirm(_ witness: Counterexample) -> Counterexample? {
        guard caseIndices.indices.contains(witness.caseIndex), witness.input.count == ties.sharedCount,
            witness.input.allSatisfy({ Double(Float($0)) == $0 })
        else { return nil }
        let caseIndex = caseIndices[witness.caseIndex]
        let propertyCase = specification.cases[caseIndex]
        let x = ties.expand(witness.input)
        guard propertyCase.disjuncts.indices.contains(witness.disjunctIndex), propertyCase.contains(input: x)
        else { return nil }
        let region = propertyCase.disjuncts[witness.disjunctIndex]
        guard let passes = separatePasses(at: x) else { return nil }
        let outputs = [passes.float64, passes.float32.map(Double.init), passes.replay.map(Double.init)]
        guard outputs.allSatisfy({ region.isSatisfied(by: $0) }) else { return nil }
        return Counterexample(
            input: x, output: passes.float64, outputFloat32: passes.float32,
            replayOutput: references.contains { $0 == nil } ? nil : passes.replay, caseIndex: caseIndex,
            disjunctIndex: witness.disjunctIndex, margin: outputs.map { region.slack(at: $0) }.min() ?? 0)
    }

    /// Each network's Float64 pass, Float32 pass and replay (its Float32 pass when it has no stored graph) on
    /// its part of `x`, concatenated in declaration order; nil when a replay fails.
    private func separatePasses(at x: [Double]) -> (float64: [Double], float32: [Float], replay: [Float])? {
        var float64: [Double] = []
        var float32: [Float] = []
        var replay: [Float] = []
        for (k, network) in networks.enumerated() {
            let input = Array(x[specification.networks[k].inputs[0].range])
            let single = input.map { Float($0) }
            float64 += network.evaluate(input)
            let y32 = network.evaluate(single)
            float32 += y32
            if let reference = references[k] {
                guard let yr = reference.evaluate(single), yr.count == network.outputCount else { return nil }
                replay += yr
            } else {
                replay += y32
            }
        }
        return (float64, float32, replay)
    }
}
