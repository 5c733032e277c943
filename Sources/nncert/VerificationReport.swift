import Foundation
import Tensor
import VNNLib
import Verifier

/// A verification result as the command line shows it: the VNN-COMP words live here and nowhere else.
struct VerificationReport: Encodable {
    struct Witness: Encodable {
        var input: [Double]
        var output: [Double]
        var outputFloat32: [Float]
        var replayOutput: [Float]?
        /// The hidden nodes' values (queries that assert on hidden nodes).
        var hiddenValues: [Float]?
        var caseIndex: Int
        var disjunctIndex: Int
        var margin: Double
    }
    var verdict: String
    var reason: String?
    var nodes: Int
    var linearPrograms: Int
    var failedLinearPrograms: Int
    var boundComputations: Int
    var attacks: Int
    var maxFrontier: Int
    var maxDepth: Int
    var seconds: Double
    /// The learned heuristic's counts (only when it made decisions).
    var gnnDecisions: Int?
    var gnnFallbacks: Int?
    var gnnFineTuningSteps: Int?
    var gnnInferenceSeconds: Double?
    /// Equivalence queries: nodes where difference bounds were tried, and where they refuted a region (only when tried).
    var differenceChecks: Int?
    var differenceRefutations: Int?
    /// Box halves whose alpha-CROWN refinement was skipped (only when some were).
    var skippedRefinements: Int?
    /// The share of the search space closed (only for a timeout or unknown after a search).
    var closedShare: Double?
    /// A portfolio's second search (only when it ran): its nodes (included in `nodes`), and whether it decided.
    var secondSearchNodes: Int?
    var decidedBySecondSearch: Bool?
    var counterexample: Witness?
    private var inputNames: [String]
    private var outputNames: [String]
    private var declarations: [VariableDeclaration]

    enum CodingKeys: String, CodingKey {
        case verdict, reason, nodes, linearPrograms, failedLinearPrograms, boundComputations, attacks, maxFrontier,
            maxDepth, seconds, gnnDecisions, gnnFallbacks, gnnFineTuningSteps, gnnInferenceSeconds, differenceChecks,
            differenceRefutations, skippedRefinements, closedShare, secondSearchNodes, decidedBySecondSearch,
            counterexample
    }

    init(result: VerificationResult, specification spec: Specification) {
        let s = result.statistics
        switch result.verdict {
        case let .violated(cex):
            verdict = "sat"
            counterexample = Witness(
                input: cex.input, output: cex.output, outputFloat32: cex.outputFloat32, replayOutput: cex.replayOutput,
                hiddenValues: cex.hiddenValues, caseIndex: cex.caseIndex, disjunctIndex: cex.disjunctIndex,
                margin: cex.margin)
        case .proven: verdict = "unsat"
        case .timeout: verdict = "timeout"
        case let .unknown(why):
            verdict = "unknown"
            reason = why
        }
        nodes = s.nodes
        linearPrograms = s.linearPrograms
        failedLinearPrograms = s.failedLinearPrograms
        boundComputations = s.boundComputations
        attacks = s.attacks
        maxFrontier = s.maxFrontier
        maxDepth = s.maxDepth
        seconds = s.seconds
        if s.learnedDecisions > 0 {
            gnnDecisions = s.learnedDecisions
            gnnFallbacks = s.learnedFallbacks
            gnnFineTuningSteps = s.fineTuningSteps
            gnnInferenceSeconds = s.learnedInferenceSeconds
        }
        if s.differenceChecks > 0 {
            differenceChecks = s.differenceChecks
            differenceRefutations = s.differenceRefutations
        }
        if s.skippedRefinements > 0 { skippedRefinements = s.skippedRefinements }
        closedShare = result.undecidedClosedShare
        if s.secondSearchNodes > 0 {
            secondSearchNodes = s.secondSearchNodes
            decidedBySecondSearch = s.decidedBySecondSearch
        }
        inputNames = (0..<spec.inputCount).map { spec.inputName($0) }
        outputNames = (0..<spec.outputCount).map { spec.outputName($0) }
        // Declaration order, network by network: inputs, hidden nodes (when asserted on), outputs.
        declarations = spec.networks.flatMap { n in
            n.inputs.map(\.declaration) + n.hiddenVariables.map(\.declaration) + n.outputs.map(\.declaration)
        }
    }

    /// Verdict line, statistics, then the counterexample for sat.
    var text: String {
        var lines = [verdict]
        if let reason { lines.append("reason: \(reason)") }
        lines.append("nodes: \(nodes)")
        if let closedShare {
            let percent = VerificationStatistics.percent(closedShare, decimals: 2)
            lines.append(String(format: "search space closed: %.2f%%", percent))
        }
        if let secondSearchNodes, let decidedBySecondSearch {
            lines.append("of them by the portfolio's second search: \(secondSearchNodes)"
                + (decidedBySecondSearch ? " (it decided)" : ""))
        }
        lines.append("linear programs: \(linearPrograms) (failed: \(failedLinearPrograms))")
        lines.append("bound computations: \(boundComputations)")
        lines.append("attacks: \(attacks)")
        lines.append("max frontier: \(maxFrontier), max depth: \(maxDepth)")
        lines.append(String(format: "time: %.3f s", seconds))
        if let c = counterexample {
            let checks = c.replayOutput == nil ? "Float64 and Float32 passes" : "Float64, Float32 and ONNX-graph replay"
            lines.append(String(format: "witness margin: %.6g (smallest slack over the region's rows; ", c.margin)
                + checks + ")")
            lines.append("counterexample:\n" + witnessText)
        }
        return lines.joined(separator: "\n")
    }

    /// The VNN-COMP witness `((X_0 v) … (Y_0 v))`, outputs from the Float32 forward pass (what ONNX Runtime
    /// computes when the checker replays it).
    var witnessText: String {
        guard let c = counterexample else { return "" }
        var pairs = zip(inputNames, c.input).map { "(\($0) \($1))" }
        pairs += zip(outputNames, c.replayOutput ?? c.outputFloat32).map { "(\($0) \(Double($1)))" }
        return "(" + pairs.joined(separator: "\n ") + ")"
    }

    /// The VNN-LIB standard's output: `sat`/`unsat`/`timed-out`/`unknown`, then for sat each declared variable
    /// as `NAME TYPE [dims]` followed by its values, one per line, row-major.
    var standardText: String {
        let word = verdict == "timeout" ? "timed-out" : verdict
        guard let c = counterexample else { return word }
        var lines = [word]
        var inputOffset = 0
        var outputOffset = 0
        var hiddenOffset = 0
        for d in declarations {
            lines.append("\(d.name) \(d.elementType.rawValue) [\(d.shape.map(String.init).joined(separator: ","))]")
            let count = d.shape.reduce(1, *)
            if d.role == .input {
                lines += c.input[inputOffset..<(inputOffset + count)].map { "\($0)" }
                inputOffset += count
            } else if d.role == .hidden {
                let values = c.hiddenValues ?? []
                lines += values[min(hiddenOffset, values.count)..<min(hiddenOffset + count, values.count)]
                    .map { "\(Double($0))" }
                hiddenOffset += count
            } else {
                let values = (c.replayOutput ?? c.outputFloat32)[outputOffset..<(outputOffset + count)]
                lines += values.map {
                    d.elementType.integerRange == nil ? "\(Double($0))" : "\(d.elementType.integerValue(Double($0)))"
                }
                outputOffset += count
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the VNN-COMP result file: the verdict word, then the witness for sat.
    func writeResultFile(_ path: String) throws {
        var body = verdict + "\n"
        if counterexample != nil { body += witnessText + "\n" }
        do {
            try body.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIInputError(file: path, problem: FileContents.reason(for: error))
        }
    }
}
