import ArgumentParser
import ONNX

/// `nncert supports --CAPABILITY`: the capability answers of chapter 5 of the VNN-LIB standard, one bare value
/// per line.
struct SupportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supports", abstract: "Report a capability, as the VNN-LIB standard's CLI defines it.")

    enum Capability: String, EnumerableFlag {
        case onnxOpsetVersions, onnxElementTypes, onnxOperators, vnnlibVersions, hiddenNodeTheories,
            multipleInputOutputTheories, multipleNetworkTheories, multipleNodeComparisonTheories,
            arithmeticComplexityTheories, optimisedDisjunctiveReasoning, serialiseAssignments
    }

    @Flag(exclusivity: .exclusive, help: "The capability to report.")
    var capability: Capability

    func run() throws {
        for line in Self.answer(capability) { print(line) }
    }

    /// Operators that ``ONNXImporter`` reads but `supports` does not claim, with the reason: a common form of the
    /// operator in a single-chain graph (one that the vnnlib-satisfactory test suite checks) cannot be verified.
    /// The importer still reads their other forms (docs/architecture.md, "ONNX import").
    static let unclaimedOperators: [String: String] = [
        "Cast": "a cast of the data to an integer or BOOL is a step function, which no layer represents",
        "Div": "a division by a non-constant tensor is not piecewise linear (only division by a constant is read)",
        "Mul": "a product of two non-constant tensors (x · x) is not piecewise linear (only products with constants)",
    ]

    /// The operators `supports --onnx-operators` lists: those the importer reads, less ``unclaimedOperators``.
    static var claimedOperators: [String] {
        ONNXImporter.supportedOperators.filter { unclaimedOperators[$0] == nil }
    }

    static func answer(_ capability: Capability) -> [String] {
        switch capability {
        case .onnxOpsetVersions: ["\(ONNXImporter.supportedOpsets.lowerBound)", "\(ONNXImporter.supportedOpsets.upperBound)"]
        // Verification reasons over the reals on Float64 weights; counterexamples are confirmed in Float32.
        case .onnxElementTypes: ["real"]
        case .onnxOperators: claimedOperators
        case .vnnlibVersions: ["1.0", "2.0"]
        // Hidden nodes of a single network's chain, verified on x ↦ [f(x); h(x); x] (InputConstraintLifting).
        case .hiddenNodeTheories: ["NH", "H"]
        case .multipleInputOutputTheories: ["SIO"]
        // One network, equal-to, isomorphic-to and any several networks: all verified on the product network.
        case .multipleNetworkTheories: ["SNET", "MENET", "MINET", "MNET"]
        case .multipleNodeComparisonTheories: ["MNC"]
        // The levels nncert verifies in full: bounds on single variables (BND), comparisons and linear
        // combinations of outputs (OUTC), and linear constraints that combine inputs (LIN: verified on
        // x ↦ [f(x); x], InputConstraintLifting). Not POLY.
        case .arithmeticComplexityTheories: ["BND", "OUTC", "LIN"]
        case .optimisedDisjunctiveReasoning: ["true"]
        case .serialiseAssignments: ["true"]
        }
    }
}
