import Network
import VNNLib

/// A classifier's output softmax, taken off where the property only compares outputs: softmax keeps the order of
/// its inputs (`y_i / y_j = e^{z_i − z_j}`), so when every output row reads `a·(Y_i − Y_j) ≤ 0` or `< 0` with
/// `a > 0`, and one softmax group covers all outputs, the property holds of the network exactly when it holds of
/// the logits. The search then runs on the logits (ReLU splits and LPs instead of bisecting inputs through the
/// softmax relaxation); a counterexample it finds is confirmed on the whole network and its stored graph before
/// it is reported (a tie in Float32 rounding can separate the two), else the verdict is unknown.
struct OutputSoftmaxElimination: Sendable {
    /// The same cases over the network without its softmax (no stored-graph replay: the graph has the softmax).
    let logits: VerificationProblem

    /// Nil unless the network ends in one softmax over all its outputs and every row is a positive multiple of
    /// `Y_i − Y_j` against 0 (and the problem is a plain one: no lifted outputs, no difference screen).
    init?(_ problem: VerificationProblem) {
        guard problem.reportedOutputCount == nil, problem.differenceRefuter == nil,
              let (network, softmax) = problem.network.splittingOutputSoftmax(),
              softmax.size == problem.network.outputCount,
              problem.cases.allSatisfy({ $0.regions.allSatisfy(Self.comparesOutputsPairwise) }),
              var logits = try? VerificationProblem(network: network, cases: problem.cases)
        else { return nil }
        logits.float16Inputs = problem.float16Inputs
        self.logits = logits
    }

    /// Every row is `a·Y_i − a·Y_j` (`a > 0`, `i ≠ j`) against the threshold 0.
    static func comparesOutputsPairwise(_ region: OutputPolytope) -> Bool {
        guard region.rowCount > 0 else { return false }
        return (0..<region.rowCount).allSatisfy { r in
            let nonzero = region.coefficients.row(r).filter { $0 != 0 }
            return region.bounds[r] == 0 && nonzero.count == 2 && nonzero.contains { $0 > 0 }
                && nonzero[0] == -nonzero[1]
        }
    }

    /// The verdict for `problem` given the logits' `verdict`: a proof carries over; a counterexample only when
    /// the whole network (and the stored graph) confirm it.
    func verdict(_ verdict: Verdict, for problem: VerificationProblem) -> Verdict {
        guard case .violated(let cex) = verdict else { return verdict }
        let spec = problem.cases[cex.caseIndex]
        let check = WitnessCheck(network: problem.network, reference: problem.reference)
        guard let confirmed = check.confirm(
            cex.input, box: spec.box, inputRegion: spec.inputRegion, region: spec.regions[cex.disjunctIndex],
            caseIndex: cex.caseIndex, disjunctIndex: cex.disjunctIndex)
        else {
            return .unknown(
                reason: "the logits violate the property at an input where the softmax outputs, in floating point, "
                    + "do not")
        }
        return .violated(confirmed)
    }
}
