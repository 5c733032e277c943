public import Reporting
public import Verifier

/// How a suite runs: the search settings, the time limits, what an undecided instance means, and the shard.
public struct SuiteOptions: Sendable {
    /// What a `timeout` or `unknown` verdict makes of an instance's check.
    public enum UndecidedPolicy: String, Sendable, CaseIterable {
        /// A `warning`: reported, but the suite passes (exit 0). Benchmark suites expect some timeouts.
        case warn
        /// `undecided`: the suite is undecided (exit 3) unless something failed.
        case fail
    }

    /// The search settings; their `timeout` is the time limit of instances whose row gives none. `progress` is
    /// replaced by the runner's.
    public var verification: VerificationOptions
    /// Every instance's time limit is multiplied by this (default 1).
    public var timeoutScale: Double
    /// Every instance's time limit (after scaling) is capped at this, if given.
    public var maxTimeout: Double?
    /// What an undecided instance means (default ``UndecidedPolicy/warn``).
    public var undecided: UndecidedPolicy
    /// Run only this shard's instances (those at positions `i` with `i mod N = K − 1`), or all when nil.
    public var shard: Shard?

    /// Settings from their parts.
    public init(
        verification: VerificationOptions = VerificationOptions(), timeoutScale: Double = 1, maxTimeout: Double? = nil,
        undecided: UndecidedPolicy = .warn, shard: Shard? = nil
    ) {
        self.verification = verification
        self.timeoutScale = timeoutScale
        self.maxTimeout = maxTimeout
        self.undecided = undecided
        self.shard = shard
    }

    /// The time limit of `instance`: its row's (or the default), scaled, capped.
    public func timeout(of instance: SuiteInstance) -> Double {
        let scaled = (instance.timeout ?? verification.timeout) * timeoutScale
        return maxTimeout.map { min(scaled, $0) } ?? scaled
    }
}
