public import Bounds
import Network
import Synchronization
import Tensor

/// Counts of a learned heuristic's run, read into the run's statistics.
public struct LearnedBranchingStatistics: Sendable, Hashable {
    /// Decisions the model scored.
    public var decisions = 0
    /// Decisions where the fail-safe took BaBSR's choice instead.
    public var fallbacks = 0
    /// Online fine-tuning steps taken.
    public var fineTuningSteps = 0
    /// Feature values that were not finite (replaced by 0).
    public var nonFiniteFeatures = 0
    /// Seconds spent extracting features and scoring (the model's inference, without the fail-safe).
    public var inferenceSeconds = 0.0

    /// Zero counts.
    public init() {}
}

extension BranchingHeuristic {
    /// A learned heuristic's counts; nil for the hand-written heuristics.
    public var learnedStatistics: LearnedBranchingStatistics? {
        (self as? GNNBranching)?.statistics
    }
}

/// The learned branching heuristic (Lu & Kumar, ICLR 2020): a ``GNNModel`` scores every unstable ReLU of the node
/// from its ``GraphFeatures``, with a BaBSR fail-safe and online fine-tuning.
///
/// - **Fail-safe** (``failSafe``): when the model's choice differs from BaBSR's, both are compared by their
///   children's CROWN bounds (``ChildBounder/worstMargin(splitting:active:)``, worse child clipped at the
///   threshold, as in ``StrongBranching``); if the model's choice improves the node's margin by less than
///   ``failSafeFraction`` of BaBSR's improvement (or, when BaBSR's does not improve, less than it), BaBSR's
///   choice is taken.
/// - **Online fine-tuning** (``onlineTuning``): every such loss is kept as a two-candidate ranking example; after
///   ``lossesPerStep`` losses the model takes one Adam step on them (rate ``tuningRate``), for the rest of the run.
///
/// The model and its Adam state live in one lock-protected object shared by the search's worker threads; a
/// decision copies the current weights under the lock and scores outside it.
public struct GNNBranching: BranchingHeuristic {
    /// Compare with BaBSR and fall back when the model's choice is much worse. Default true.
    public var failSafe: Bool
    /// The fail-safe's fraction of BaBSR's improvement. Default 0.2 (the paper's).
    public var failSafeFraction: Double
    /// Fine-tune on the comparisons the model lost. Default true.
    public var onlineTuning: Bool
    /// Losses per fine-tuning step. Default 3.
    public var lossesPerStep: Int
    /// Adam's step size for fine-tuning. Default 1e-4.
    public var tuningRate: Double
    private let state: State

    /// The mutable part, shared by copies of the heuristic.
    private final class State: Sendable {
        struct Inner {
            var model: GNNModel
            var adam: AdamState
            var pending: [(GNNGraph, GNNTrainingExample)] = []
            var graph: (key: [[Int]], graph: GNNGraph)?
            var statistics = LearnedBranchingStatistics()
        }
        let inner: Mutex<Inner>
        init(model: GNNModel) {
            inner = Mutex(Inner(model: model, adam: AdamState(count: model.parameters.count)))
        }
    }

    /// A heuristic with `model`.
    public init(
        model: GNNModel, failSafe: Bool = true, failSafeFraction: Double = 0.2, onlineTuning: Bool = true,
        lossesPerStep: Int = 3, tuningRate: Double = 1e-4
    ) {
        self.failSafe = failSafe
        self.failSafeFraction = failSafeFraction
        self.onlineTuning = onlineTuning
        self.lossesPerStep = max(1, lossesPerStep)
        self.tuningRate = tuningRate
        state = State(model: model)
    }

    /// The counts so far.
    public var statistics: LearnedBranchingStatistics { state.inner.withLock { $0.statistics } }

    /// The current (possibly fine-tuned) model.
    public var model: GNNModel { state.inner.withLock { $0.model } }

    /// The graph of `network`, built once per network shape and reused.
    private func graph(_ network: Network) -> GNNGraph {
        let key = [network.inputShape, [network.layers.count, network.parameterCount]] + network.layerShapes
        if let cached = state.inner.withLock({ $0.graph?.key == key ? $0.graph?.graph : nil }) { return cached }
        let g = GNNGraph(network: network)
        state.inner.withLock { $0.graph = (key, g) }
        return g
    }

    /// The model's score of each candidate (−∞ for a neuron the graph does not have).
    public func score(_ candidates: [NeuronID], context: BranchingContext) -> [Double] {
        let g = graph(context.network)
        let features = GraphFeatures(context: context, graph: g)
        let model = state.inner.withLock { $0.model }
        let all = model.scores(graph: g, features: features)
        return candidates.map { c in
            let s = GNNTrainer.score(all, graph: g, neuron: c) ?? -.infinity
            return s.isNaN ? -.infinity : s
        }
    }

    /// The model's choice, or BaBSR's when the fail-safe prefers it (see the type's description).
    public func selectNeuron(_ context: BranchingContext) -> NeuronID? {
        let candidates = context.unstableNeurons
        guard !candidates.isEmpty else { return nil }
        let started = ContinuousClock.now
        let g = graph(context.network)
        let features = GraphFeatures(context: context, graph: g)
        let model = state.inner.withLock { $0.model }
        let all = model.scores(graph: g, features: features)
        var best = 0, bestScore = -Double.infinity
        for (i, c) in candidates.enumerated() {
            if let s = GNNTrainer.score(all, graph: g, neuron: c), s > bestScore {
                best = i
                bestScore = s
            }
        }
        let choice = candidates[best]
        state.inner.withLock {
            $0.statistics.decisions += 1
            $0.statistics.nonFiniteFeatures += features.nonFiniteCount
            $0.statistics.inferenceSeconds += (ContinuousClock.now - started).seconds
        }
        guard failSafe, let fallback = BaBSR().selectNeuron(context), fallback != choice else { return choice }
        let mine = improvement(splitting: choice, context: context)
        let theirs = improvement(splitting: fallback, context: context)
        // The children are bounded by CROWN and the node possibly by alpha-CROWN, so both improvements can be
        // negative; then the GNN loses only when it is strictly worse.
        guard theirs > 0 ? mine < failSafeFraction * theirs : mine < theirs else { return choice }
        let example = GNNTrainingExample(
            network: 0, features: features, candidates: [fallback, choice], scores: [theirs, mine])
        let batch = state.inner.withLock { s -> (GNNModel, AdamState, [(GNNGraph, GNNTrainingExample)])? in
            s.statistics.fallbacks += 1
            guard onlineTuning else { return nil }
            s.pending.append((g, example))
            guard s.pending.count >= lossesPerStep else { return nil }
            defer { s.pending.removeAll() }
            return (s.model, s.adam, s.pending)
        }
        // The step runs outside the lock (other workers keep deciding with the current weights); two steps that
        // overlap keep the later one's result.
        if let (start, startAdam, examples) = batch {
            var model = start, adam = startAdam
            var trainer = GNNTrainer()
            trainer.learningRate = tuningRate
            trainer.step(&model, adam: &adam, examples: examples)
            state.inner.withLock { s in
                s.model = model
                s.adam = adam
                s.statistics.fineTuningSteps += 1
            }
        }
        return fallback
    }

    /// The worse child's CROWN margin improvement over the node's (children clipped at 0; −∞ for NaN).
    func improvement(splitting neuron: NeuronID, context: BranchingContext) -> Double {
        var children = context.children
        children.method = .crown
        let parent = StrongBranching.nodeMargin(context)
        let worse = [true, false].map { Swift.min(0, children.worstMargin(splitting: neuron, active: $0)) }.min()!
        if worse.isNaN { return -.infinity }
        guard worse.isFinite, parent.isFinite else { return 0 }
        return worse - parent
    }
}
