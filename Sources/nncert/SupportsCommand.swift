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

    static func answer(_ capability: Capability) -> [String] {
        switch capability {
        case .onnxOpsetVersions: ["\(ONNXImporter.supportedOpsets.lowerBound)", "\(ONNXImporter.supportedOpsets.upperBound)"]
        // Verification reasons over the reals on Float64 weights; counterexamples are confirmed in Float32.
        case .onnxElementTypes: ["real"]
        case .onnxOperators: ONNXImporter.supportedOperators
        case .vnnlibVersions: ["1.0", "2.0"]
        case .hiddenNodeTheories: ["NH"]
        case .multipleInputOutputTheories: ["SIO"]
        case .multipleNetworkTheories: ["MNET"]  // several networks, verified on their product network
        case .multipleNodeComparisonTheories: ["MNC"]
        case .arithmeticComplexityTheories: ["LIN"]
        case .optimisedDisjunctiveReasoning: ["true"]
        case .serialiseAssignments: ["true"]
        }
    }
}
