public import Bounds
public import Tensor

/// One branching decision of branch and bound.
public enum BranchingDecision: Hashable, Sendable {
    /// Bisect the node's input box along a dimension (at its midpoint).
    case bisect(dimension: Int)
    /// Split a ReLU neuron into its active and inactive phases.
    case splitReLU(NeuronID)
}

/// The one place that decides how a node is bounded and split: input bisection or a ReLU split, the handover
/// from the first to the second, and the final bound method that goes with each.
///
/// Input bisection (for low-dimensional inputs) runs while the box is large and many neurons are unstable; a
/// node continues with ReLU splits (and LPs) once at most ``inputSplitHandover`` neurons are unstable, once it
/// carries a ReLU split, or after ``maxInputSplitDepth`` bisections, which keeps the search complete.
public struct BranchingPolicy: Sendable {
    /// True when the search bisects inputs at all (`--mode`, or low-dimensional inputs in `auto` mode).
    public var usesInputSplits: Bool
    /// Bisections after which a box continues with ReLU splits. Default 60.
    public var maxInputSplitDepth: Int
    /// A node with at most this many unstable neurons continues with ReLU splits. Default 16.
    public var inputSplitHandover: Int
    /// How bisection dimensions are scored.
    public var inputSplitRule: InputSplitRule
    /// The width-balance rule applied to the scores.
    public var inputSmear: InputSmear
    /// The ReLU heuristic.
    public var heuristic: any BranchingHeuristic
    /// The bound method for a node's final objective (CROWN while bisecting inputs, see ``finalBoundMethod(bisecting:)``).
    public var finalBoundMethod: BoundMethod

    /// A policy.
    public init(
        usesInputSplits: Bool, heuristic: any BranchingHeuristic, finalBoundMethod: BoundMethod = .alphaCrown,
        inputSplitRule: InputSplitRule = .gradient, inputSplitBalance: Double? = nil, maxInputSplitDepth: Int = 60,
        inputSplitHandover: Int = 16
    ) {
        self.usesInputSplits = usesInputSplits
        self.heuristic = heuristic
        self.finalBoundMethod = finalBoundMethod
        self.inputSplitRule = inputSplitRule
        self.inputSmear = InputSmear(balance: inputSplitBalance ?? inputSplitRule.defaultBalance)
        self.maxInputSplitDepth = maxInputSplitDepth
        self.inputSplitHandover = inputSplitHandover
    }

    /// True when a node with these properties is split by input bisection.
    public func bisectsInputs(splits: SplitSet, inputSplitDepth: Int, unstableCount: Int) -> Bool {
        usesInputSplits && splits.isEmpty && inputSplitDepth < maxInputSplitDepth && unstableCount > inputSplitHandover
    }

    /// The method for the node's final objective: input splitting shrinks the box, which tightens CROWN by itself,
    /// and CROWN's input coefficients rank the split dimensions far better than alpha-optimised ones (81 vs
    /// > 10,000 nodes on ACAS Xu 1_1 prop_1); alpha-CROWN then runs only for refutation (``refinesWithAlpha``).
    public func finalBoundMethod(bisecting: Bool) -> BoundMethod {
        bisecting && finalBoundMethod == .alphaCrown ? .crown : finalBoundMethod
    }

    /// True when a bisecting node whose CROWN bound left a region open is bounded again with alpha-CROWN.
    public func refinesWithAlpha(bisecting: Bool) -> Bool { bisecting && finalBoundMethod == .alphaCrown }

    /// How to split the node: bisect its box along the dimension with the best smear score, or split the
    /// neuron the heuristic chooses (its first unstable neuron when the heuristic has none). Nil when nothing is
    /// left to split.
    /// - Parameters:
    ///   - bisecting: ``bisectsInputs(splits:inputSplitDepth:unstableCount:)`` of the node.
    ///   - rootBox: the case's box, for the width-balance rule.
    ///   - rows: the objective rows whose minimisers are tried (smear scores sum over them).
    public func decide(_ context: BranchingContext, bisecting: Bool, rootBox: Box, rows: [Int]) -> BranchingDecision? {
        if bisecting, let dimension = inputDimension(context, rootBox: rootBox, rows: rows) {
            return .bisect(dimension: dimension)
        }
        guard let neuron = heuristic.selectNeuron(context) ?? context.unstableNeurons.first else { return nil }
        return .splitReLU(neuron)
    }

    /// The input coordinate to bisect: smear scores (``InputSmear``: the bound's input coefficients, or
    /// ``InputGradientSmear``: interval gradients) with the width-balance rule.
    func inputDimension(_ context: BranchingContext, rootBox: Box, rows: [Int]) -> Int? {
        let e = context.evaluation
        switch inputSplitRule {
        case .coefficients:
            return inputSmear.choose(box: context.box, bound: e.linearBound, rows: rows, rootBox: rootBox)
        case .gradient:
            let scores = InputGradientSmear().scores(
                network: context.network, box: context.box, bounds: e.intermediate, splits: context.splits,
                objective: e.objective, rows: rows)
            return inputSmear.choose(scores: scores, box: context.box, rootBox: rootBox)
        }
    }
}
