import Foundation
import Bounds
public import Tensor

/// Fits a ``GNNModel`` to ranking examples by the pairwise hinge loss (``GNNRankingLoss``) and Adam, one
/// mini-batch of examples per step; also the single step of online fine-tuning.
public struct GNNTrainer: Sendable {
    /// Progress after one epoch.
    public struct EpochReport: Sendable {
        /// The epoch (1-based).
        public var epoch: Int
        /// Mean training loss over the epoch.
        public var loss: Double
        /// Share of held-out nodes whose model choice (among the evaluated candidates) is strong branching's best.
        public var heldOutTop1: Double
        /// Share of held-out nodes whose model choice scores within ``tolerance`` of the best (relative to the
        /// node's score spread).
        public var heldOutWithinTolerance: Double
        /// Seconds since training started.
        public var seconds: Double
    }

    /// Adam's step size. Default 1e-3.
    public var learningRate: Double = 1e-3
    /// Examples per Adam step. Default 8.
    public var batchSize: Int = 8
    /// The relative tolerance of ``EpochReport/heldOutWithinTolerance``. Default 0.1.
    public var tolerance: Double = 0.1
    /// The loss.
    public var loss = GNNRankingLoss()

    /// A trainer.
    public init() {}

    /// The model's scores of `example`'s candidates.
    public static func candidateScores(_ model: GNNModel, graph: GNNGraph, example: GNNTrainingExample) -> [Double] {
        let all = model.scores(graph: graph, features: example.features)
        return example.candidates.map { score(all, graph: graph, neuron: $0) ?? -.infinity }
    }

    /// The score of `neuron` in per-layer scores `all`, nil when the graph has no such node.
    static func score(_ all: [[Double]], graph: GNNGraph, neuron: NeuronID) -> Double? {
        guard let g = graph.reluLayers.firstIndex(of: neuron.layer), g < all.count, all[g].indices.contains(neuron.neuron)
        else { return nil }
        return all[g][neuron.neuron]
    }

    /// The loss of `example` and its gradient with respect to the model's parameters.
    public func lossAndGradient(_ model: GNNModel, graph: GNNGraph, example: GNNTrainingExample)
        -> (loss: Double, gradient: [Double])
    {
        let all = model.scores(graph: graph, features: example.features)
        let f = example.candidates.map { Self.score(all, graph: graph, neuron: $0) ?? 0 }
        let (l, df) = loss.evaluate(modelScores: f, targets: example.scores)
        guard l > 0 else { return (0, []) }
        var ds = all.map { [Double](repeating: 0, count: $0.count) }
        for (i, c) in example.candidates.enumerated() {
            if let g = graph.reluLayers.firstIndex(of: c.layer), ds[g].indices.contains(c.neuron) { ds[g][c.neuron] += df[i] }
        }
        return (l, model.gradient(graph: graph, features: example.features, scoreGradient: ds).gradient)
    }

    /// One Adam descent step on the mean gradient of `examples` (each with its graph); returns the mean loss.
    @discardableResult
    public func step(_ model: inout GNNModel, adam: inout AdamState, examples: [(GNNGraph, GNNTrainingExample)]) -> Double {
        var total = [Double](repeating: 0, count: model.parameters.count)
        var sum = 0.0
        for (graph, example) in examples {
            let (l, g) = lossAndGradient(model, graph: graph, example: example)
            sum += l
            if g.count == total.count { for i in g.indices where g[i].isFinite { total[i] += g[i] } }
        }
        guard !examples.isEmpty else { return 0 }
        let scale = 1 / Double(examples.count)
        adam.advance()
        for i in total.indices {
            model.parameters[i] -= adam.update(at: i, gradient: total[i] * scale, rate: learningRate)
        }
        return sum * scale
    }

    /// Share of `examples` whose model choice is the best (top-1) and within ``tolerance`` of it.
    public func accuracy(_ model: GNNModel, graphs: [GNNGraph], examples: [GNNTrainingExample]) -> (Double, Double) {
        var top = 0, near = 0
        for e in examples {
            let f = Self.candidateScores(model, graph: graphs[e.network], example: e)
            guard let choice = f.indices.max(by: { f[$0] < f[$1] || (f[$0] == f[$1] && $0 > $1) }) else { continue }
            if choice == e.best { top += 1 }
            if e.isGood(choice, tolerance: tolerance) { near += 1 }
        }
        let n = Double(max(examples.count, 1))
        return (Double(top) / n, Double(near) / n)
    }

    /// BaBSR's accuracy on `examples` (the baseline), from their recorded BaBSR scores.
    public func babsrAccuracy(_ examples: [GNNTrainingExample]) -> (Double, Double) {
        var top = 0, near = 0
        for e in examples where e.babsr.count == e.candidates.count {
            guard let choice = e.babsr.indices.max(by: { e.babsr[$0] < e.babsr[$1] || (e.babsr[$0] == e.babsr[$1] && $0 > $1) })
            else { continue }
            if choice == e.best { top += 1 }
            if e.isGood(choice, tolerance: tolerance) { near += 1 }
        }
        let n = Double(max(examples.count, 1))
        return (Double(top) / n, Double(near) / n)
    }

    /// Trains `model` for `epochs` on `training`, reporting each epoch (accuracy on `heldOut`). The normalisation
    /// is fitted on the training examples first. Examples are shuffled by `seed`.
    public func train(
        _ model: inout GNNModel, graphs: [GNNGraph], training: [GNNTrainingExample], heldOut: [GNNTrainingExample],
        epochs: Int, seed: UInt64, report: (EpochReport) -> Void
    ) {
        let start = ContinuousClock.now
        model.normalisation = GNNModel.Normalisation(fitting: training.map(\.features))
        var adam = AdamState(count: model.parameters.count)
        var rng = SplitMix64(seed: seed)
        var order = Array(training.indices)
        for epoch in 1...max(epochs, 1) {
            order.shuffle(using: &rng)
            var sum = 0.0, batches = 0
            var at = 0
            while at < order.count {
                let batch = order[at..<min(at + batchSize, order.count)].map { (graphs[training[$0].network], training[$0]) }
                sum += step(&model, adam: &adam, examples: batch)
                batches += 1
                at += batchSize
            }
            let (top, near) = accuracy(model, graphs: graphs, examples: heldOut)
            report(EpochReport(
                epoch: epoch, loss: sum / Double(max(batches, 1)), heldOutTop1: top, heldOutWithinTolerance: near,
                seconds: (ContinuousClock.now - start).seconds))
        }
    }
}
