public import Reporting
import Foundation
import Network
import VNNLib
import Verifier

/// Runs the instances of a suite one after the other, in this process, and reports one ``CheckResult`` per
/// instance.
///
/// A check's group is the network and its name the property, as the list writes them; its details are `verdict`
/// (`sat`, `unsat`, `timeout`, `unknown`), `expected` when known, `timeout` (the limit it ran with), `nodes`, for
/// `sat` the counterexample's inputs when there are at most ``counterexampleLimit``, and for an undecided search
/// `closed`, the share of its search space it closed (``VerificationResult/undecidedClosedShare``, in percent
/// rounded down). Its status:
/// - `passed`: `sat` or `unsat`, and the expected verdict if one is known;
/// - `failed`: `sat` where `unsat` is expected or the reverse (a wrong verdict);
/// - `warning` or `undecided` (``SuiteOptions/undecided``): `timeout` or `unknown`;
/// - `error`: the network or property does not load, or they do not fit together; the suite goes on.
public struct SuiteRunner: Sendable {
    /// How the suite runs.
    public var options: SuiteOptions

    /// Counterexamples with more inputs than this are left out of the details (run `nncert verify` for them).
    public static let counterexampleLimit = 64

    /// The detail keys a suite report shows as columns.
    public static let columns = ["verdict", "expected", "timeout", "nodes"]

    /// A runner with `options`.
    public init(options: SuiteOptions) { self.options = options }

    /// Runs the instances of `list` that belong to the options' shard.
    /// - Parameters:
    ///   - expected: expected verdicts, beside those of the list's own `expected` column.
    ///   - describe: the message for an error loading or verifying an instance, given the file concerned
    ///     (the command line passes the same wording it uses for bad input).
    ///   - progress: called when an instance starts and while it is searched (from a worker thread).
    ///   - onCheck: called with each check as it finishes, in order.
    /// - Returns: the report of the run (of the shard: ``RunReport/shard`` is set, ``RunReport/totalChecks`` counts
    ///   the whole list).
    public func run(
        _ list: InstanceList, expected: ExpectedVerdicts = ExpectedVerdicts(),
        describe: (any Error, _ file: String) -> String = { "\($1): \($0)" },
        progress: (@Sendable (SuiteProgress) -> Void)? = nil,
        onCheck: (CheckResult) -> Void = { _ in }
    ) -> RunReport {
        let start = ContinuousClock.now
        let selected = options.shard?.select(list.instances)
            ?? list.instances.enumerated().map { (index: $0.offset, element: $0.element) }
        var checks: [CheckResult] = []
        for (done, item) in selected.enumerated() {
            let instance = item.element
            let name = instance.networkName + " " + instance.propertyName
            var verification = options.verification
            verification.timeout = options.timeout(of: instance)
            verification.progress = progress.map { report in
                { @Sendable search in
                    report(SuiteProgress(completed: done, total: selected.count, instance: name, search: search))
                }
            }
            progress?(SuiteProgress(completed: done, total: selected.count, instance: name))
            let check = self.check(
                instance, index: item.index, verification: verification,
                expected: expected.verdict(for: instance), describe: describe)
            checks.append(check)
            onCheck(check)
        }
        return RunReport(
            command: "suite", title: "suite: " + URL(fileURLWithPath: list.source).lastPathComponent,
            shard: options.shard, totalChecks: list.instances.count, checks: checks,
            seconds: (ContinuousClock.now - start).seconds, columns: Self.columns, attributes: attributes(list))
    }

    /// The settings every shard of one run shares (``RunReport/merged(_:)`` checks that they agree).
    private func attributes(_ list: InstanceList) -> [String: String] {
        var attributes = [
            "instances": list.source, "undecided": options.undecided.rawValue,
            "default timeout": Self.seconds(options.verification.timeout),
        ]
        if options.timeoutScale != 1 { attributes["timeout scale"] = "\(options.timeoutScale)" }
        if let maxTimeout = options.maxTimeout { attributes["max timeout"] = Self.seconds(maxTimeout) }
        return attributes
    }

    /// Loads and verifies one instance; every failure becomes an `error` check.
    private func check(
        _ instance: SuiteInstance, index: Int, verification: VerificationOptions, expected: SuiteVerdict?,
        describe: (any Error, String) -> String
    ) -> CheckResult {
        let start = ContinuousClock.now
        var result = CheckResult(
            index: index, group: instance.networkName, name: instance.propertyName, status: .error, seconds: 0,
            details: ["timeout": Self.seconds(verification.timeout)])
        if let expected { result.details["expected"] = expected.rawValue }
        switch Self.verify(instance, options: verification, describe: describe) {
        case .success(let outcome): classify(outcome, expected: expected, into: &result)
        case .failure(let failure): result.message = failure.message
        }
        result.seconds = (ContinuousClock.now - start).seconds
        return result
    }

    /// Why an instance could not be verified, as a message.
    private struct LoadFailure: Error {
        var message: String
    }

    /// The verification result of `instance`, or the message of the first error (naming the file concerned).
    private static func verify(
        _ instance: SuiteInstance, options: VerificationOptions, describe: (any Error, String) -> String
    ) -> Result<VerificationResult, LoadFailure> {
        let plain: (network: Network, reference: (any ReferenceEvaluator)?)
        let specification: Specification
        let loaded: (network: Network, reference: (any ReferenceEvaluator)?, taps: [Int])
        do {
            plain = try InstanceVerification.loadNetwork(atPath: instance.network)
        } catch {
            return .failure(LoadFailure(message: describe(error, instance.network)))
        }
        do {
            specification = try InstanceVerification.loadProperty(atPath: instance.property)
        } catch {
            return .failure(LoadFailure(message: describe(error, instance.property)))
        }
        do {
            loaded = try InstanceVerification.keepingHiddenNodes(
                of: specification, atPath: instance.network, loaded: plain)
        } catch {
            return .failure(LoadFailure(message: describe(error, instance.network)))
        }
        do {
            return .success(try InstanceVerification.verify(
                network: loaded.network, reference: loaded.reference, specification: specification, options: options,
                hiddenLayers: loaded.taps))
        } catch {
            return .failure(LoadFailure(message: describe(error, instance.property)))
        }
    }

    /// The status, message and details of a verification result.
    private func classify(_ outcome: VerificationResult, expected: SuiteVerdict?, into result: inout CheckResult) {
        let verdict = SuiteVerdict(outcome.verdict)
        result.details["verdict"] = verdict.rawValue
        result.details["nodes"] = "\(outcome.statistics.nodes)"
        if case .violated(let witness) = outcome.verdict, witness.input.count <= Self.counterexampleLimit {
            result.details["counterexample"] = witness.input.map { "\($0)" }.joined(separator: " ")
        }
        switch outcome.verdict {
        case .violated, .proven:
            if let expected, expected != verdict {
                result.status = .failed
                result.message = "wrong verdict: \(verdict.rawValue), expected \(expected.rawValue)"
            } else {
                result.status = .passed
            }
        case .timeout:
            result.status = undecidedStatus
            result.message = "timeout after \(result.details["timeout"]!) s"
        case .unknown(let reason):
            result.status = undecidedStatus
            result.message = "unknown: \(reason)"
        }
        if let share = outcome.undecidedClosedShare {
            let closed = String(format: "%.2f%%", VerificationStatistics.percent(share, decimals: 2))
            result.details["closed"] = closed
            result.message! += " (\(closed) of the search space closed)"
        }
        if let expected, !verdict.isDecided { result.message! += " (expected \(expected.rawValue))" }
    }

    private var undecidedStatus: CheckResult.Status { options.undecided == .fail ? .undecided : .warning }

    /// Seconds as written in reports: an integer without decimals, else as Swift prints it.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
    }
}
