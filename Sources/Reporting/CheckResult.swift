/// The outcome of one check of a run: one instance of a suite, one guarantee of a gate, one check of a sweep level.
///
/// A check is a value that every report format renders the same way (``RunReport``'s JSON, JUnit XML, Markdown and
/// CSV), and that a sharded run can merge back: ``index`` is the check's position in the *unsharded* run, so shards
/// merge into exactly the order one machine would have produced.
public struct CheckResult: Codable, Sendable, Hashable {
    /// How a check ended, as CI sees it.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The guarantee holds (a proof, a bound within its limit, a verdict that matches the expected one).
        case passed
        /// The guarantee is lost (a counterexample, a bound over its limit, a wrong verdict).
        case failed
        /// Neither proven nor refuted within its budget, and the policy says an undecided check fails.
        case undecided
        /// Neither proven nor refuted, and the policy says an undecided check only warns.
        case warning
        /// The check could not run (a file that does not load, an unsupported model).
        case error
        /// Not run (the run's total budget was spent, or the check does not apply).
        case skipped
    }

    /// The check's position in the unsharded run (0-based); sharding and merging preserve it.
    public var index: Int
    /// The group the check belongs to (JUnit's test-suite and class name): a network, a property, a level.
    public var group: String
    /// The check's name within its group (JUnit's test-case name).
    public var name: String
    /// How the check ended.
    public var status: Status
    /// Wall-clock seconds the check took.
    public var seconds: Double
    /// One line saying why the check did not pass (or what it established), if there is something to say.
    public var message: String?
    /// Named facts for machines and tables, e.g. `verdict`, `expected`, `bound`, `limit`, `counterexample`.
    public var details: [String: String]

    /// A check result; `details` defaults to none.
    public init(
        index: Int, group: String, name: String, status: Status, seconds: Double, message: String? = nil,
        details: [String: String] = [:]
    ) {
        self.index = index
        self.group = group
        self.name = name
        self.status = status
        self.seconds = seconds
        self.message = message
        self.details = details
    }
}
