import ArgumentParser
import Bounds
import Branching
import Foundation
import Network
import Suite
import Tensor
import Verifier

/// `nncert branching collect|train`: the learned GNN branching heuristic's data and training.
struct BranchingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branching",
        abstract: "Collect strong-branching data and train the GNN branching heuristic (--branching gnn[:MODEL]).",
        discussion: """
            The bundled model is retrained by the two commands of docs/architecture.md, 'The learned GNN \
            heuristic': collect runs ReLU-split branch and bound with strong branching on training properties and \
            stores each node's graph features and the candidates' strong-branching scores; train fits a GNN to rank \
            the candidates like strong branching. Never train on the instances you evaluate on.
            """,
        subcommands: [CollectCommand.self, TrainCommand.self])

    /// `nncert branching collect NET PROP… --out DATA`.
    struct CollectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collect",
            abstract: "Run ReLU-split BaB with strong branching and record each node's features and candidate scores.",
            discussion: """
                Writes JSON lines (docs/architecture.md, 'GNN data files'): a header naming the network, then one \
                line per node. Each property is one group: `train --holdout` holds out whole groups. Once --nodes \
                nodes are recorded, the remaining runs branch by BaBSR and are skipped.
                """)

        @Argument(help: ArgumentHelp("The network and the training properties.", valueName: "NET.onnx PROP.vnnlib"))
        var files: [String]

        @Option(help: "The data file to write.")
        var out: String

        @Option(help: "Record at most this many nodes in all.")
        var nodes: Int = 2000

        @Option(help: "Strong branching evaluates BaBSR's best K candidates per node.")
        var candidates: Int = 16

        @Option(help: "Time limit per property in seconds.")
        var timeout: Double = 30

        @Option(help: "Worker threads.")
        var workers: Int = 2

        @Option(name: .customLong("final-bounds"),
                help: "Bound method of each node's objective, and of strong branching's children: crown (fast) or alpha-crown.")
        var finalBounds: BoundMethod = .crown

        func validate() throws {
            guard files.count >= 2 else { throw ValidationError("expected NET.onnx and at least one PROP.vnnlib") }
            guard nodes >= 1, candidates >= 2, timeout > 0, workers >= 1 else {
                throw ValidationError("--nodes ≥ 1, --candidates ≥ 2, --timeout > 0 and --workers ≥ 1")
            }
        }

        func run() throws {
            let netPath = files[0]
            let (network, reference) = try BadInput.reporting(context: netPath) {
                try InstanceVerification.loadNetwork(atPath: netPath)
            }
            // Every property is read and checked against the network before the first (long) search, so that a
            // missing or bad file stops the run at once instead of hours into it.
            var problems: [(path: String, problem: VerificationProblem)] = []
            for propPath in files.dropFirst() {
                let spec = try BadInput.reporting { try InstanceVerification.loadProperty(atPath: propPath) }
                let problem = try BadInput.reporting(context: propPath) {
                    try VerificationProblem(network: network, specification: spec, reference: reference)
                }
                problems.append((propPath, problem))
            }
            guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out)
            else { return try BadInput.reporting { throw CLIInputError(file: out, problem: "cannot create the data file") } }
            defer { try? handle.close() }
            let absolute = URL(fileURLWithPath: netPath).standardizedFileURL.path
            var header = try JSONEncoder().encode(GNNDataFile.Header(networks: [absolute]))
            header.append(UInt8(ascii: "\n"))
            try handle.write(contentsOf: header)
            let recorder = GNNDataRecorder(handle: handle, limit: nodes)
            let start = ContinuousClock.now
            for (k, (propPath, problem)) in problems.enumerated() {
                if recorder.isFull { break }
                var options = VerificationOptions(
                    timeout: timeout, search: SearchOptions(mode: .reluSplit, finalBoundMethod: finalBounds, workers: workers))
                options.search.customHeuristic = RecordingHeuristic(
                    expert: StrongBranching(candidateLimit: candidates), recorder: recorder, group: k)
                let before = recorder.count
                let result = try BadInput.reporting(context: propPath) { try Verifier(options: options).verify(problem) }
                let elapsed = String(format: "%.1f", (ContinuousClock.now - start).seconds)
                say("\(propPath): \(verdictWord(result.verdict)), \(result.statistics.nodes) nodes, \(recorder.count - before) recorded (\(recorder.count) in all), \(elapsed) s")
            }
            if let failure = recorder.failure {
                try BadInput.reporting { throw CLIInputError(file: out, problem: "write failed: \(failure)") }
            }
            say("\(out): \(recorder.count) nodes recorded in \(String(format: "%.1f", (ContinuousClock.now - start).seconds)) s")
        }
    }

    /// `nncert branching train DATA… --out MODEL`.
    struct TrainCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train the GNN branching model on collected data (pairwise ranking loss, Adam).",
            discussion: """
                Prints the training loss and the held-out ranking accuracy after every epoch: top-1 (the model's \
                choice among the evaluated candidates is strong branching's best) and within 10% (its strong-branching \
                score is within a tenth of the node's score spread of the best), with BaBSR's on the same nodes for \
                reference. The model file records the recipe (data, epochs, seed, command).
                """)

        @Argument(help: ArgumentHelp("Data files written by collect.", valueName: "DATA"))
        var data: [String]

        @Option(help: "The model file to write.")
        var out: String

        @Option(help: "Training epochs.")
        var epochs: Int = 20

        @Option(help: "Embedding size p.")
        var hidden: Int = 64

        @Option(help: "Message-passing rounds T.")
        var rounds: Int = 2

        @Option(help: "Seed of the initialisation and the shuffling.")
        var seed: UInt64 = 1

        @Option(help: "Share of the properties (groups) held out for the accuracy.")
        var holdout: Double = 0.2

        @Option(name: .customLong("learning-rate"), help: "Adam's step size.")
        var learningRate: Double = 1e-3

        func validate() throws {
            guard !data.isEmpty else { throw ValidationError("give at least one data file") }
            guard epochs >= 1, (1...512).contains(hidden), (0...8).contains(rounds), (0..<1).contains(holdout),
                learningRate > 0
            else { throw ValidationError("--epochs ≥ 1, --hidden in 1…512, --rounds in 0…8, --holdout in [0, 1)") }
        }

        func run() throws {
            var networkPaths: [String] = []
            var examples: [(example: GNNTrainingExample, group: String)] = []
            for path in data {
                let (header, lines) = try BadInput.reporting { try GNNDataFile.read(path: path) }
                for p in header.networks where !networkPaths.contains(p) { networkPaths.append(p) }
                let map = header.networks.map { networkPaths.firstIndex(of: $0)! }
                for (e, g) in lines {
                    var e = e
                    e.network = map[e.network]
                    examples.append((e, "\(path)#\(g)"))
                }
            }
            var graphs: [GNNGraph] = []
            for path in networkPaths {
                let (network, _) = try BadInput.reporting(context: path) { try InstanceVerification.loadNetwork(atPath: path) }
                graphs.append(GNNGraph(network: network))
            }
            // Examples must match their network's graph.
            let usable = examples.filter { item in
                let g = graphs[item.example.network]
                return item.example.features.layers.count == g.sizes.count
                    && item.example.features.layers.indices.allSatisfy { l in
                        item.example.features.layers[l].count
                            == g.sizes[l] * GraphFeatures.width(type: GraphFeatures.type(ofLayer: l, count: g.sizes.count))
                    }
            }
            if usable.count < examples.count {
                BadInput.printError("\(examples.count - usable.count) examples do not match their network and are skipped")
            }
            var groups = Array(Set(usable.map(\.group))).sorted()
            var rng = SplitMix64(seed: seed)
            groups.shuffle(using: &rng)
            let heldGroups = Set(groups.prefix(Int((Double(groups.count) * holdout).rounded())))
            let training = usable.filter { !heldGroups.contains($0.group) }.map(\.example)
            let heldOut = usable.filter { heldGroups.contains($0.group) }.map(\.example)
            guard !training.isEmpty else {
                return try BadInput.reporting {
                    throw CLIInputError(file: data.joined(separator: ", "), problem: "no training examples")
                }
            }
            say("\(training.count) training nodes (\(groups.count - heldGroups.count) properties), \(heldOut.count) held out (\(heldGroups.count) properties), \(graphs.count) network(s)")
            var trainer = GNNTrainer()
            trainer.learningRate = learningRate
            let (bTop, bNear) = trainer.babsrAccuracy(heldOut)
            say(String(format: "BaBSR on the held-out nodes: top-1 %.1f%%, within 10%% %.1f%%", 100 * bTop, 100 * bNear))
            var model = GNNModel(embedding: hidden, rounds: rounds, seed: seed)
            var last: GNNTrainer.EpochReport?
            trainer.train(&model, graphs: graphs, training: training, heldOut: heldOut, epochs: epochs, seed: seed) { r in
                last = r
                say(String(
                    format: "epoch %d/%d: loss %.4f, held-out top-1 %.1f%%, within 10%% %.1f%%, %.1f s", r.epoch, epochs,
                    r.loss, 100 * r.heldOutTop1, 100 * r.heldOutWithinTolerance, r.seconds))
            }
            let command = (["nncert"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            let recipe = GNNModelFile.Recipe(
                data: data, epochs: epochs, seed: seed, command: command, trainingExamples: training.count,
                heldOutExamples: heldOut.count, heldOutTop1: heldOut.isEmpty ? nil : last?.heldOutTop1,
                seconds: last?.seconds)
            try BadInput.reporting { try GNNModelFile(model: model, recipe: recipe).write(to: out) }
            say("\(out): model written (p = \(hidden), T = \(rounds), \(model.parameters.count) parameters)")
        }
    }
}

/// sat / unsat / timeout / unknown.
private func verdictWord(_ verdict: Verdict) -> String {
    switch verdict {
    case .violated: "sat"
    case .proven: "unsat"
    case .timeout: "timeout"
    case .unknown: "unknown"
    }
}

/// Writes a progress line to stdout unbuffered (it appears at once, also when stdout is a file).
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
