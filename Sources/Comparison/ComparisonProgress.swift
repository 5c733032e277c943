/// Where a running comparison is, reported before each step.
public struct ComparisonProgress: Sendable, Hashable {
    /// The step about to run ("verify original", "difference bound", "Lipschitz", …).
    public var stage: String
    /// The property concerned, if any.
    public var property: String?
    /// Steps done so far.
    public var done: Int
    /// Steps in all.
    public var total: Int

    /// A progress report.
    public init(stage: String, property: String?, done: Int, total: Int) {
        self.stage = stage
        self.property = property
        self.done = done
        self.total = total
    }
}
