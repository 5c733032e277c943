import Bounds
@testable import Branching
import Foundation
import Network
import Tensor
import Testing
import TestSupport

/// A small conv net: 1×4×4 → conv 2×3×3 (stride 1, pad 1) → ×scale → relu → flatten → dense 3 → relu → avg… → dense 2.
private func convNetwork(seed: UInt64) throws -> Network {
    var rng = SplitMix64(seed: seed)
    func r(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -0.6...0.6, using: &rng) } }
    let conv = Conv2D(
        inputChannels: 1, inputHeight: 4, inputWidth: 4, outputChannels: 2, kernelHeight: 3, kernelWidth: 3,
        strideHeight: 2, strideWidth: 2, pads: [1, 1, 1, 1], weights: r(18), bias: r(2))
    return try Network(inputShape: [1, 1, 4, 4], layers: [
        .conv2d(conv), .elementwise(ElementwiseAffine(scale: r(8), shift: r(8))), .relu, .reshape([1, 8]),
        .dense(Dense(weights: Matrix(rows: 3, columns: 8, storage: r(24)), bias: r(3))), .relu,
        .dense(Dense(weights: Matrix(rows: 2, columns: 3, storage: r(6)), bias: r(2))),
    ])
}

@Test func graphFeaturesOfAHandComputableNetwork() throws {
    let network = try handNetwork()
    let ctx = try context(network, box: Box(lower: [-1, -1], upper: [1, 1]), objective: Matrix([[1], [-1]]))
    let graph = GNNGraph(network: network)
    #expect(graph.reluLayers == [1] && graph.sizes == [2, 2, 1])
    let f = GraphFeatures(context: ctx, graph: graph)
    // Row 1 (−y) is open. Its CROWN bound uses both chords (slopes 2.5/4 and 2/4): −y ≥ −1.125 x₁ − 0.125 x₂ − …,
    // minimised at x = (1, 1): pre-activations (2.5, 0). λ = (−1, −1); intercepts 1.5·2.5/4 and 2·2/4.
    let expectedInput: [Double] = [-1, 1, 1, -1, 1, 1]
    let expectedReLU: [Double] = [
        0.9375, -1.5, 2.5, 2.5, 2.5, -1, 0.5, 0, 0, 0, 0,
        1, -2, 2, 0, 0, -1, 0, 0, 0, 0, 0,
    ]
    #expect(f.layers.count == 3 && f.nonFiniteCount == 0)
    #expect(zip(f.layers[0], expectedInput).allSatisfy { abs($0 - $1) < 1e-7 }, "\(f.layers[0])")
    #expect(zip(f.layers[1], expectedReLU).allSatisfy { abs($0 - $1) < 1e-7 }, "\(f.layers[1])")
    let out = ctx.bounds.tensors.last!
    #expect(f.layers[2] == [out.lower[0], out.upper[0], 2.5, 0])

    // Split neuron 0 active: split flag, no intercept; neuron 1 unchanged in kind.
    let split = SplitSet([ReLUSplit(layer: 1, neuron: 0, isActive: true)])
    let g = GraphFeatures(
        context: try context(network, box: Box(lower: [-1, -1], upper: [1, 1]), objective: Matrix([[1], [-1]]),
                                  splits: split), graph: graph)
    #expect(Array(g.layers[1][7...10]) == [1, 0, 0, 0] && g.layers[1][0] == 0)
    // A stable neuron: on [0.5, 1] × [−0.2, 0.2] both are active (stable flag).
    let s = GraphFeatures(
        context: try context(network, box: Box(lower: [0.5, -0.2], upper: [1, 0.2]), objective: Matrix([[1], [-1]])),
        graph: graph)
    #expect(s.layers[1][9] == 1 && s.layers[1][20] == 1 && s.layers[1][0] == 0)
}

@Test func stagesAndTheirTransposesAreAdjoint() throws {
    let network = try convNetwork(seed: 3)
    let graph = GNNGraph(network: network)
    #expect(graph.sizes == [16, 8, 3, 2])
    var rng = SplitMix64(seed: 9)
    let p = 3
    for s in 0..<3 {
        let x = (0..<(graph.sizes[s] * p)).map { _ in Double.random(in: -1...1, using: &rng) }
        let y = (0..<(graph.sizes[s + 1] * p)).map { _ in Double.random(in: -1...1, using: &rng) }
        let fx = graph.forward(stage: s, x, channels: p), bty = graph.backward(stage: s, y, channels: p)
        let a = zip(fx, y).map { $0 * $1 }.reduce(0, +), b = zip(x, bty).map { $0 * $1 }.reduce(0, +)
        #expect(abs(a - b) < 1e-9 * max(1, abs(a)))
    }
    // Stage 0 on one channel is the conv and the scale, without biases.
    let e = (0..<16).map { Double($0) / 16 }
    let conv = network.layers[0], scale = network.layers[1]
    guard case .conv2d(let c) = conv, case .elementwise(let sc) = scale else { Issue.record("layers"); return }
    let expected = zip(c.applyLinear(e), sc.scale).map { $0 * $1 }
    #expect(zip(graph.forward(stage: 0, e, channels: 1), expected).allSatisfy { abs($0 - $1) < 1e-12 })
}

/// A depthwise convolution (groups 2) into a transposed convolution (stride 2, pads, groups 2): each stage's
/// messages on one channel are the layer's linear part, on several channels each channel is, and backward messages
/// are the forward ones' adjoint.
@Test func groupedAndTransposedConvolutionStagesAreTheLayersLinearParts() throws {
    var rng = SplitMix64(seed: 41)
    func r(_ n: Int) -> [Double] { (0..<n).map { _ in Double.random(in: -0.8...0.8, using: &rng) } }
    let depthwise = Conv2D(
        inputChannels: 2, inputHeight: 6, inputWidth: 6, outputChannels: 2, kernelHeight: 3, kernelWidth: 3,
        strideHeight: 2, strideWidth: 2, pads: [1, 1, 1, 1], groups: 2,
        weights: Conv2D.expandingGroups(r(18), outputChannels: 2, inputChannels: 2, taps: 9, groups: 2), bias: r(2))
    let up = ConvTranspose2D(
        inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 4, outputHeight: 7, outputWidth: 5,
        kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 2, pads: [1, 0, 0, 1], groups: 2,
        weights: r(24), bias: r(4))
    let network = try Network(inputShape: [1, 2, 6, 6], layers: [
        .conv2d(depthwise), .relu, .convTranspose(up), .relu, .reshape([1, 140]),
        .dense(Dense(weights: Matrix(rows: 3, columns: 140, storage: r(420)), bias: r(3))),
    ])
    let graph = GNNGraph(network: network)
    #expect(graph.sizes == [72, 18, 140, 3])
    // The layers' own evaluation, without the bias (a transposed convolution evaluates tap by tap, independently of
    // the im2col products the graph uses).
    let linear: [([Double]) -> [Double]] = [Layer.conv2d(depthwise), Layer.convTranspose(up)].map { layer in
        { x in zip(layer.apply(x), layer.apply([Double](repeating: 0, count: x.count))).map { $0 - $1 } }
    }
    let p = 3
    for s in 0..<2 {
        let x = r(graph.sizes[s] * p), y = r(graph.sizes[s + 1] * p)
        let fx = graph.forward(stage: s, x, channels: p), bty = graph.backward(stage: s, y, channels: p)
        for c in 0..<p {
            let channel = (0..<graph.sizes[s]).map { x[$0 * p + c] }
            let expected = linear[s](channel)
            #expect((0..<graph.sizes[s + 1]).allSatisfy { abs(fx[$0 * p + c] - expected[$0]) < 1e-12 })
        }
        let a = zip(fx, y).map { $0 * $1 }.reduce(0, +), b = zip(x, bty).map { $0 * $1 }.reduce(0, +)
        #expect(abs(a - b) < 1e-9 * max(1, abs(a)))
    }
}

@Test(arguments: [false, true])
func gradientMatchesFiniteDifferences(conv: Bool) throws {
    let network = conv ? try convNetwork(seed: 5) : try randomMLP([3, 4, 3, 2], seed: 5)
    let graph = GNNGraph(network: network)
    var rng = SplitMix64(seed: 17)
    let features = GraphFeatures(layers: graph.sizes.indices.map { g in
        let w = GraphFeatures.width(type: GraphFeatures.type(ofLayer: g, count: graph.sizes.count))
        return (0..<(graph.sizes[g] * w)).map { _ in Double.random(in: -1...1, using: &rng) }
    })
    var model = GNNModel(embedding: 4, rounds: 2, seed: 21)
    for i in model.parameters.indices { model.parameters[i] += Double.random(in: -0.05...0.05, using: &rng) }
    let ds = graph.sizes.dropFirst().dropLast().map { n in (0..<n).map { _ in Double.random(in: -1...1, using: &rng) } }
    func objective(_ m: GNNModel) -> Double {
        zip(m.scores(graph: graph, features: features), ds).map { zip($0, $1).map { $0 * $1 }.reduce(0, +) }
            .reduce(0, +)
    }
    let (_, gradient) = model.gradient(graph: graph, features: features, scoreGradient: ds)
    #expect(gradient.count == model.parameters.count)
    var worst = 0.0, nonzero = 0
    let h = 1e-6
    for i in model.parameters.indices {
        var plus = model, minus = model
        plus.parameters[i] += h
        minus.parameters[i] -= h
        let numeric = (objective(plus) - objective(minus)) / (2 * h)
        if numeric != 0 { nonzero += 1 }
        worst = max(worst, abs(numeric - gradient[i]) / max(1e-4, abs(numeric) + abs(gradient[i])))
    }
    #expect(worst < 1e-5, "worst relative error \(worst)")
    #expect(nonzero > model.parameters.count / 3, "the check exercises most parameters (\(nonzero))")
}

@Test func rankingLossPushesTheBestCandidateUp() {
    let loss = GNNRankingLoss(margin: 1)
    // Best is candidate 1 (score 3); gaps 2 and 3 relative to the spread 3.
    let (l, d) = loss.evaluate(modelScores: [0, 0, 0], targets: [1, 3, 0])
    #expect(abs(l - (2.0 / 3 + 1) / 2) < 1e-12)
    #expect(d == [0.5, -1, 0.5])
    #expect(loss.evaluate(modelScores: [0, 5, 0], targets: [1, 3, 0]).loss == 0)
    #expect(loss.evaluate(modelScores: [0, 0], targets: [1, 1]).loss == 0, "no ranking, no loss")
}

@Test func trainingLearnsASyntheticRanking() throws {
    // Target: strong branching prefers the neuron with the largest intercept feature (the only non-zero one).
    let network = try randomMLP([3, 6, 2], seed: 2)
    let graph = GNNGraph(network: network)
    var rng = SplitMix64(seed: 4)
    let examples = (0..<60).map { _ -> GNNTrainingExample in
        var layers = graph.sizes.indices.map { g in
            let w = GraphFeatures.width(type: GraphFeatures.type(ofLayer: g, count: graph.sizes.count))
            return [Double](repeating: 0, count: graph.sizes[g] * w)
        }
        for k in 0..<6 { layers[1][k * GraphFeatures.reluWidth] = Double.random(in: 0...1, using: &rng) }
        let intercepts = (0..<6).map { layers[1][$0 * GraphFeatures.reluWidth] }
        return GNNTrainingExample(
            network: 0, features: GraphFeatures(layers: layers), candidates: (0..<6).map { NeuronID(layer: 1, neuron: $0) },
            scores: intercepts)
    }
    var model = GNNModel(embedding: 8, rounds: 1, seed: 1)
    var trainer = GNNTrainer()
    trainer.learningRate = 1e-2
    var reports: [GNNTrainer.EpochReport] = []
    trainer.train(&model, graphs: [graph], training: Array(examples[..<40]), heldOut: Array(examples[40...]),
                  epochs: 30, seed: 1) { reports.append($0) }
    #expect(reports.count == 30)
    #expect(reports.last!.loss < reports.first!.loss)
    #expect(reports.last!.heldOutTop1 >= 0.5, "random: 1/6; \(reports.last!)")
}

@Test func modelFileRoundTripsAndRejectsBadFiles() throws {
    let model = GNNModel(embedding: 4, rounds: 2, seed: 7)
    let file = GNNModelFile(model: model, recipe: .init(data: ["a.jsonl"], epochs: 3, seed: 7, command: "nncert branching train a.jsonl"))
    let data = try file.encoded()
    let back = try GNNModelFile.decode(data, path: "m.json")
    #expect(back == file)
    #expect(try back.model(path: "m.json") == model)

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gnn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("model.json").path
    try file.write(to: path)
    #expect(try GNNModelFile.load(path: path) == model)

    func rejects(_ bytes: Data, _ fragment: String) {
        let bad = dir.appendingPathComponent("bad.json").path
        #expect(FileManager.default.createFile(atPath: bad, contents: bytes))
        do {
            _ = try GNNModelFile.load(path: bad)
            Issue.record("accepted a bad model (\(fragment))")
        } catch {
            guard case .badModel(let p, let problem) = error else { Issue.record("\(error)"); return }
            #expect(p == bad && problem.contains(fragment), "\(problem)")
        }
    }
    rejects(data.prefix(data.count / 2), "not valid JSON")
    var wrongVersion = file
    wrongVersion.formatVersion = 99
    rejects(try wrongVersion.encoded(), "version 99")
    var otherFeatures = file
    otherFeatures.featureSet = "other-features-0"
    rejects(try otherFeatures.encoded(), "feature set")
    var short = file
    short.parameters.removeLast()
    rejects(try short.encoded(), "parameters")
    rejects(Data("{\"format\": \"nncert-gnn-model\"}".utf8), "missing field")
    rejects(Data("{\"format\": \"nncert-gnn-model\", \"formatVersion\": 2}".utf8), "version 2")
    #expect(throws: BranchingError.badModel(path: dir.appendingPathComponent("none.json").path, problem: "cannot read the file")) {
        try GNNModelFile.load(path: dir.appendingPathComponent("none.json").path)
    }
}

@Test func gnnNeverChoosesStableOrSplitNeuronsOnRandomNetworks() throws {
    var rng = SplitMix64(seed: 11)
    for seed in UInt64(1)...8 {
        let network = try randomMLP([4, 8, 8, 2], seed: seed)
        let heuristic = GNNBranching(model: GNNModel(embedding: 8, rounds: 2, seed: seed), lossesPerStep: 1)
        let centre = (0..<4).map { _ in Double.random(in: -1...1, using: &rng) }
        let box = Box(lower: centre.map { $0 - 0.5 }, upper: centre.map { $0 + 0.5 })
        var splits = SplitSet()
        for _ in 0..<4 {
            let ctx = try context(network, box: box, objective: Matrix([[1, -1]]), splits: splits)
            guard let choice = heuristic.selectNeuron(ctx) else {
                #expect(ctx.unstableNeurons.isEmpty)
                break
            }
            #expect(ctx.unstableNeurons.contains(choice))
            #expect(splits.state(layer: choice.layer, neuron: choice.neuron) == nil)
            splits = splits.adding(ReLUSplit(choice, isActive: Bool.random(using: &rng)))
        }
        let stats = heuristic.statistics
        #expect(stats.fallbacks <= stats.decisions && stats.fineTuningSteps <= stats.fallbacks)
    }
}

@Test func dataFileRoundTrips() throws {
    let network = try handNetwork()
    let ctx = try context(network, box: Box(lower: [-1, -1], upper: [1, 1]), objective: Matrix([[1], [-1]]))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gnn-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("d.jsonl").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    var header = try JSONEncoder().encode(GNNDataFile.Header(networks: ["net.onnx"]))
    header.append(UInt8(ascii: "\n"))
    try handle.write(contentsOf: header)
    let recorder = GNNDataRecorder(handle: handle, limit: 1)
    let heuristic = RecordingHeuristic(expert: StrongBranching(), recorder: recorder, group: 3)
    #expect(heuristic.selectNeuron(ctx) != nil)
    #expect(heuristic.selectNeuron(ctx) != nil, "a full recorder branches by BaBSR")
    try handle.close()
    let (h, examples) = try GNNDataFile.read(path: path)
    #expect(h.networks == ["net.onnx"] && examples.count == 1 && examples[0].group == 3)
    #expect(examples[0].example.candidates.count == 2 && examples[0].example.babsr.count == 2)
    #expect(examples[0].example.features.layers[1][0] == 0.9375)
}
