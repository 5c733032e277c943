import Comparison
import Foundation
import VNNLib
import Verifier

extension Gate {
    /// The property must be proven on the compressed network; with `require: preserved` only if the original
    /// satisfies it. Fails only with a counterexample confirmed on the compressed network (``Verifier/WitnessCheck``).
    /// The time limit covers both verification runs: the original gets what the compressed network left.
    func propertyCheck(
        _ p: GatePolicy.Property, _ spec: Specification, timeout: Double, _ f: ComparedNetwork, _ g: ComparedNetwork
    ) -> CheckOutcome {
        let deadline = Date().addingTimeInterval(timeout)
        let property = ComparedProperty(name: p.path, specification: spec)
        var details = ["require": policy.require.rawValue]
        let onG: VerificationResult
        if let known = knownVerdicts.compressed[spec] {
            onG = known
        } else {
            seedProofCache(with: f, property, until: deadline, timeout: timeout)
            do throws(ComparisonError) {
                onG = try verifier(timeout: timeout).verify(g, property)
            } catch {
                return CheckOutcome(status: .error, message: error.description)
            }
        }
        details["verdict"] = Self.word(onG.verdict)
        switch onG.verdict {
        case .proven:
            return passed("proven on the compressed network", details)
        case .violated(let cex):
            details["counterexample"] = Self.vector(cex.input)
            details["output"] = Self.vector(cex.output)
            details["case"] = String(cex.caseIndex)
            let witness = "counterexample x = \(Self.vector(cex.input)) gives y = \(Self.vector(cex.output))"
            guard policy.require == .preserved else {
                return failed("violated on the compressed network: \(witness)", details)
            }
            switch verifyOriginal(f, property, until: deadline, into: &details) {
            case .proven?: return failed("lost (proven on the original, violated on the compressed network): \(witness)", details)
            case .violated?: return skipped("violated on the original too: no guarantee to keep", details)
            default: return undecided("violated on the compressed network, but the original is undecided", details)
            }
        case .timeout, .unknown:
            let why = Self.undecidedReason(onG.verdict, timeout: timeout)
            if policy.require == .preserved, case .violated? = verifyOriginal(f, property, until: deadline, into: &details) {
                return skipped("violated on the original: no guarantee to keep (compressed: \(why))", details)
            }
            return undecided("not proven on the compressed network: \(why)", details)
        }
    }

    /// With a proof cache that holds no proof of `property` yet, verifies the original within half the check's time
    /// (storing its proof) so that the compressed network's search can start from it — in CI the cost is paid once,
    /// later runs find the proof cached.
    private func seedProofCache(
        with f: ComparedNetwork, _ property: ComparedProperty, until deadline: Date, timeout: Double
    ) {
        guard let cache = proofCache,
              let problem = try? VerificationProblem(
                network: f.network, specification: property.specification, reference: f.reference),
              !cache.contains(problem)
        else { return }
        _ = try? verifier(timeout: min(timeout / 2, deadline.timeIntervalSinceNow)).verify(f, property)
    }

    /// The original's verdict within what is left until `deadline` (nil when no time is left or it cannot run).
    private func verifyOriginal(
        _ f: ComparedNetwork, _ property: ComparedProperty, until deadline: Date, into details: inout [String: String]
    ) -> Verdict? {
        if let known = knownVerdicts.original[property.specification] {
            details["original"] = Self.word(known.verdict)
            return known.verdict
        }
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else {
            details["original"] = "not verified (no time left)"
            return nil
        }
        let onF: VerificationResult
        do throws(ComparisonError) {
            onF = try verifier(timeout: remaining).verify(f, property)
        } catch {
            details["original"] = "not verified (\(error.description))"
            return nil
        }
        details["original"] = Self.word(onF.verdict)
        return onF.verdict
    }

    private func skipped(_ message: String, _ details: [String: String]) -> CheckOutcome {
        CheckOutcome(status: .skipped, message: message, details: details)
    }

    /// A comparator whose verification runs stop after `timeout` seconds.
    func verifier(timeout: Double) -> NetworkComparator {
        var options = ComparisonOptions(verification: verification, lipschitzMethod: nil, decision: nil)
        options.verification.timeout = timeout
        options.proofCache = proofCache
        return NetworkComparator(options: options)
    }

    /// `proven`, `violated`, `timeout`, `unknown`.
    /// `proven`, `violated`, `timeout` or `unknown` (the search trace's outcome words).
    static func word(_ verdict: Verdict) -> String { SearchTrace.Outcome(verdict).rawValue }

    private static func undecidedReason(_ verdict: Verdict, timeout: Double) -> String {
        switch verdict {
        case .unknown(let reason): "unknown (\(reason))"
        default: "timeout after \(format(timeout)) s"
        }
    }
}
