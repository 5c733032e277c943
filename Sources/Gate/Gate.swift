public import Comparison
import Foundation
public import Reporting
public import VNNLib
public import Verifier

/// Runs the checks of a ``GatePolicy`` on an original network and its compressed copy and reports each as a
/// ``Reporting/CheckResult`` (command `gate`): the run's ``Reporting/RunReport/outcome`` is the gate's verdict.
///
/// ```swift
/// let policy = try GatePolicy(contentsOfFile: "policy.yaml")
/// let gate = Gate(policy: policy)
/// let report = try gate.run(original: ComparedNetwork(f), compressed: ComparedNetwork(g),
///                           specifications: try gate.specifications())
/// ```
///
/// Soundness is the underlying modules': a check passes only on a proof or a certified bound, fails only with a
/// witness confirmed on the networks (a counterexample, a pair of outputs, a pair of inputs), and is undecided
/// otherwise. Checks run one after another; each gets its own time limit, capped by what is left of the policy's
/// total budget, and a check not started before the budget is spent is undecided.
public struct Gate: Sendable {
    /// The policy.
    public var policy: GatePolicy
    /// Settings of every verification run (the time limit is replaced by each check's).
    public var verification: VerificationOptions
    /// Proofs kept across runs (`--proof-cache DIR`): a property check starts the compressed network's search from
    /// a cached proof of the same property (the original's, or an earlier compressed version's), and a cache with
    /// no proof of the property first gets the original's. Nil: every check searches from scratch.
    public var proofCache: ProofCache?
    /// Verdicts already decided on the two networks, which property checks take instead of verifying again.
    public var knownVerdicts = KnownVerdicts()

    /// A gate for `policy`.
    public init(policy: GatePolicy, verification: VerificationOptions = VerificationOptions(), proofCache: ProofCache? = nil) {
        self.policy = policy
        self.verification = verification
        self.proofCache = proofCache
    }

    /// The checks of the whole (unsharded) run, in order.
    public var checks: [GateCheck] { GateCheck.checks(of: policy) }

    /// Every VNN-LIB file the policy names (properties and `difference.over`), parsed, keyed by the path as written.
    /// - Throws: ``GateError/property(_:)`` for a file that is not valid VNN-LIB.
    public func specifications() throws(GateError) -> [String: Specification] {
        var result: [String: Specification] = [:]
        for property in policy.properties + policy.differenceRegions where result[property.path] == nil {
            do {
                result[property.path] = try Specification(contentsOfFile: property.file)
            } catch {
                throw .property(error)
            }
        }
        return result
    }

    /// Runs the checks of `shard` (all when nil) and reports them.
    /// - Parameters:
    ///   - specifications: ``specifications()``.
    ///   - attributes: facts for the report besides the policy file (e.g. the networks' files).
    ///   - progress: called before each check, on the calling thread.
    /// - Throws: ``GateError/mismatch(_:)`` when the networks or a property and the networks do not fit together,
    ///   ``GateError/invalid(file:line:column:keyPath:problem:)`` for per-output limits of the wrong length.
    public func run(
        original f: ComparedNetwork, compressed g: ComparedNetwork, specifications: [String: Specification],
        shard: Shard? = nil, title: String = "gate", attributes: [String: String] = [:],
        progress: ((GateProgress) -> Void)? = nil
    ) throws(GateError) -> RunReport {
        try checkInputs(f, g, specifications)
        let all = checks
        let selected = shard.map { $0.select(all).map(\.element) } ?? all
        let start = Date()
        var results: [CheckResult] = []
        for (k, check) in selected.enumerated() {
            progress?(GateProgress(check: check, done: k, total: selected.count))
            let remaining = policy.budget.map { $0 - Date().timeIntervalSince(start) }
            results.append(run(check, remaining: remaining, f, g, specifications))
        }
        var facts = attributes
        facts["policy"] = policy.file
        if let budget = policy.budget { facts["budget"] = Self.format(budget) + " s" }
        return RunReport(
            command: "gate", title: title, shard: shard, totalChecks: all.count, checks: results,
            seconds: Date().timeIntervalSince(start), columns: ["verdict", "bound", "limit"], attributes: facts)
    }

    /// One check within its time limit and what is left of the budget (nil: no budget).
    private func run(
        _ check: GateCheck, remaining: Double?, _ f: ComparedNetwork, _ g: ComparedNetwork,
        _ specifications: [String: Specification]
    ) -> CheckResult {
        let started = Date()
        var outcome: CheckOutcome
        if let remaining, remaining <= 0 {
            outcome = undecided("not run: the total budget of \(Self.format(policy.budget ?? 0)) s was spent")
            outcome.details["reason"] = "budget"
        } else {
            let timeout = min(check.timeout, remaining ?? .infinity)
            switch check.kind {
            case .property(let p): outcome = propertyCheck(p, specifications[p.path]!, timeout: timeout, f, g)
            case .difference(let p): outcome = differenceCheck(p, specifications[p.path]!, timeout: timeout, f, g)
            case .lipschitz: outcome = lipschitzCheck(specifications, timeout: timeout, f, g)
            }
            outcome.details["timeout"] = Self.format(timeout)
        }
        return CheckResult(
            index: check.index, group: check.group, name: check.name, status: outcome.status,
            seconds: Date().timeIntervalSince(started), message: outcome.message, details: outcome.details)
    }

    private func checkInputs(
        _ f: ComparedNetwork, _ g: ComparedNetwork, _ specifications: [String: Specification]
    ) throws(GateError) {
        do throws(ComparisonError) {
            try NetworkComparator.checkInterface(f.network, g.network)
        } catch {
            throw .mismatch(error.description)
        }
        for property in policy.properties + policy.differenceRegions {
            guard let spec = specifications[property.path] else { throw .mismatch("\(property.path): not loaded") }
            guard spec.inputCount == f.network.inputCount, spec.outputCount == f.network.outputCount else {
                throw .mismatch(
                    "\(property.file): the property has \(spec.inputCount) inputs and \(spec.outputCount) outputs, "
                        + "the networks \(f.network.inputCount) and \(f.network.outputCount)")
            }
        }
        if let limits = policy.difference?.perOutput, limits.count != f.network.outputCount {
            throw .invalid(
                file: policy.file, line: nil, column: nil, keyPath: "difference.per-output",
                problem: "lists \(limits.count) limits, the networks have \(f.network.outputCount) outputs")
        }
    }

    /// `%.4g`, or `inf`.
    static func format(_ x: Double) -> String {
        x.isFinite ? String(format: "%.4g", x) : (x > 0 ? "inf" : "-inf")
    }

    /// Every value with full precision (it reads back to the same Double), e.g. `[0.5, -0.25]`.
    static func vector(_ values: [Double]) -> String {
        "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
    }
}

