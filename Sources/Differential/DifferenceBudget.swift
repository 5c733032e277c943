public import Network

/// How much input- and ReLU-split refinement ``DifferenceBounds/compute(original:compressed:over:budget:margins:)`` may
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
    /// How a leaf is split: input bisection only (by smear or width), or ReLU phase splits. Default
    /// ``SplitChoice/auto``.
    public var splitChoice: SplitChoice = .auto

    /// How a leaf is split.
    public enum SplitChoice: String, Sendable, Hashable, CaseIterable {
        /// Input bisection along the largest `|a_j|·width_j`, `a` the input coefficients of the leaf's binding
        /// symbolic bound (widest relative width when all are 0, and after three splits in a row that did not
        /// improve the bound).
        case smear
        /// Input bisection along the largest width relative to the root box's.
        case widest
        /// A ReLU phase split of the unstable neuron (of `f` or `g`) whose relaxation the leaf's bound blames
        /// most (BaBSR-like score); `smear` when no unstable neuron matters (or for the product network).
        case relu
        /// `relu` when the original network has convolutions, `smear` otherwise. Measured (docs/benchmarks.md,
        /// "Convolutional networks: difference propagation through convolutions"): on the oval21 CIFAR networks'
        /// 8-bit copies ReLU splits give 9–20% tighter bounds in 30 s, where bisecting one of 3,072 pixels barely
        /// moves a bound; on MNIST-FC 256x2 against its 50%-pruned copy the smear rule is 0.4–2.7% tighter.
        case auto

        /// The choice `auto` stands for on `network` (every other choice is itself).
        public func resolved(for network: Network) -> SplitChoice {
            guard self == .auto else { return self }
            return network.hasConvolutions ? .relu : .smear
        }
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
