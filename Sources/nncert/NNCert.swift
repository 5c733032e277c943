import ArgumentParser
import Tensor

/// The `nncert` command line: verification, bounds, Lipschitz certificates and model inspection.
@main
struct NNCert: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "nncert",
        abstract: "Formal verification and Lipschitz certificates for neural networks (ONNX + VNN-LIB).",
        discussion: """
            Exit codes: 0 the command ran (for verify: whatever the verdict), 2 bad input (a malformed or \
            unsupported ONNX or VNN-LIB file, with the file and place named on stderr), 1 other failures. \
            `suite`, `gate`, `sweep` and `report merge`: 0 every check passed, 1 a check failed (a guarantee \
            lost, a wrong verdict), 3 a check undecided that the policy says fails, 2 bad input.
            """,
        version: version,
        subcommands: [
            VerifyCommand.self, BoundsCommand.self, LipschitzCommand.self, InfoCommand.self, EvalCommand.self,
            SupportsCommand.self, CompressCommand.self, DiffBoundCommand.self, CompareCommand.self, SuiteCommand.self,
            GateCommand.self, SweepCommand.self, ReportCommand.self, BranchingCommand.self,
        ])

    /// Tunes the allocator (``AllocatorTuning``) and OpenBLAS's kernels (``BLASKernelTuning``), then parses the
    /// arguments and runs the command.
    static func main() {
        AllocatorTuning.keepLargeBlocksInHeap()
        BLASKernelTuning.applyForThisCPU()
        main(nil)
    }

    @Flag(name: .customLong("name"), help: "Print the solver's full name and exit.")
    var printName = false

    mutating func run() throws {
        if printName {
            print("nncert \(Self.version)")
            return
        }
        throw CleanExit.helpRequest(self)
    }
}
