import ArgumentParser
import Comparison
import Verifier

/// `--proof-cache DIR` and `--no-proof-reuse`, shared by the commands that verify a compressed network beside its
/// original (`compare`, `sweep`).
struct ProofReuseArguments: ParsableArguments {
    @Option(name: .customLong("proof-cache"), help: ArgumentHelp(
        "Keep proofs in this directory and start from them in later runs (docs/architecture.md, 'Proof reuse').",
        valueName: "dir"))
    var proofCache: String?

    @Flag(name: .customLong("no-proof-reuse"),
          help: "Verify the compressed network from scratch instead of from the original's proof.")
    var noProofReuse = false

    /// Sets `options`' proof reuse and cache.
    func apply(to options: inout ComparisonOptions) {
        options.reusesProofs = !noProofReuse
        options.proofCache = proofCache.map { ProofCache(directory: $0) }
    }
}
