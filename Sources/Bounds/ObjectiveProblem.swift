import Tensor

/// A query's outcome before back-substitution: decided already, or a problem to bound.
enum ObjectivePreparation {
    case decided(LinearBoundResult)
    case open(ObjectiveProblem)
}

/// A query ready for back-substitution: its block (rows, context, parameters), its interval bound, whether
/// alpha-CROWN optimises it, and its result so far.
struct ObjectiveProblem {
    var block: BackSubstitutionBlock
    var intervalLower: [Double]
    var optimises: Bool
    /// Keep the best parameters per row (``ObjectiveQuery/keepsSlopes``).
    var keepsSlopes: Bool
    /// ``ObjectiveQuery/stop``.
    var stop: StopCriterion?
    var result: LinearBoundResult

    /// True when the result so far (with the interval bound) meets the stop criterion.
    var isSettled: Bool {
        guard let stop else { return false }
        return stop.isMet(by: zip(result.lower, intervalLower).map { Swift.max($0, $1) })
    }
}

/// One problem's alpha-CROWN optimiser: Adam on its slopes and multipliers, and the best parameters per row.
struct ObjectiveOptimiser {
    private var adam: ProjectedAdamAscent
    private var betaAdam: ProjectedAdamAscent
    private var betaValues: [Int: Matrix]
    /// The best parameters per row, when kept.
    var tracker: SlopeTracker?

    init(_ block: BackSubstitutionBlock, options: BoundOptions, keepsSlopes: Bool) {
        adam = ProjectedAdamAscent(block.alpha, learningRate: options.alphaLearningRate, upperLimit: 1, options: options)
        betaValues = block.beta.mapValues(\.values)
        betaAdam = ProjectedAdamAscent(betaValues, learningRate: options.betaLearningRate, upperLimit: .infinity,
                                       options: options)
        tracker = keepsSlopes ? SlopeTracker(
            alpha: block.alpha, beta: block.beta, rows: block.lambda.rows,
            free: block.alpha.keys.reduce(into: [:]) { $0[$1] = block.context.relaxations[$1]?.freeSlopes }) : nil
    }

    /// One ascent step of the block's slopes and multipliers along `gradient`.
    mutating func step(_ block: inout BackSubstitutionBlock, gradient: (alpha: [Int: Matrix], beta: [Int: Matrix])) {
        adam.ascend(&block.alpha, gradient: gradient.alpha)
        betaAdam.ascend(&betaValues, gradient: gradient.beta)
        for (k, v) in betaValues { block.beta[k]!.values = v }
    }
}
