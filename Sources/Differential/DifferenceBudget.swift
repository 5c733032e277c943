/// How much input-split refinement ``DifferenceBounds/compute(original:compressed:over:budget:margins:)`` may
/// spend, and when it may stop early.
public struct DifferenceBudget: Sendable, Hashable {
    /// The most leaves the input box may be split into (1: no split).
    public var maxLeaves: Int
    /// Wall-clock limit in seconds for the refinement (nil: none); the attack runs before it and is not counted.
    public var timeLimit: Double?
    /// Stop as soon as the certified `max |g − f|` is at most `targetRatio` times the attacked lower bound
    /// (nil: refine until another limit).
    public var targetRatio: Double?
    /// The attack that provides the lower bound (nil: no attack, so no early stop and no ratio).
    public var attack: DifferenceAttack?
    /// How the coordinate to bisect is chosen.
    public var splitChoice: SplitChoice = .smear

    /// The input coordinate a leaf is bisected along.
    public enum SplitChoice: String, Sendable, Hashable, CaseIterable {
        /// Largest `|a_j|·width_j`, `a` the input coefficients of the leaf's binding symbolic bound (widest
        /// relative width when all are 0, and after three splits in a row that did not improve the bound).
        case smear
        /// Largest width relative to the root box's.
        case widest
    }

    /// A budget of `maxLeaves` leaves and `timeLimit` seconds, stopping at `targetRatio` × the `attack`'s value.
    public init(
        maxLeaves: Int = 1, timeLimit: Double? = nil, targetRatio: Double? = 2,
        attack: DifferenceAttack? = DifferenceAttack()
    ) {
        self.maxLeaves = maxLeaves
        self.timeLimit = timeLimit
        self.targetRatio = targetRatio
        self.attack = attack
    }

    /// `splits` bisections (`splits + 1` leaves), no time limit, no attack: the plain refinement.
    public static func splits(_ splits: Int) -> DifferenceBudget {
        DifferenceBudget(maxLeaves: max(0, splits) + 1, timeLimit: nil, targetRatio: nil, attack: nil)
    }
}
