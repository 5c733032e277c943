import Foundation
import Tensor
import Testing

/// End-to-end tests of the built `nncert` executable: its output, files and exit codes.
struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let properties = repository.appendingPathComponent("properties")

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The nncert binary next to the test bundle in the build folder.
    static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("nncert")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/nncert")
    }

    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
    }

    static func prop(_ path: String) -> String { properties.appendingPathComponent(path).path }

    /// Runs the built nncert (or `program`) with `arguments`, in `folder` when given, with `environment` added to
    /// this process's.
    static func run(
        _ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:], program: URL? = nil
    ) throws -> Run {
        let process = Process()
        process.executableURL = program ?? executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func versionAndCapabilities() throws {
        #expect(try Self.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let ops = try Self.run(["supports", "--onnx-operators"]).lines
        for op in ["Gemm", "MatMul", "Conv", "ConvTranspose", "Relu", "Flatten", "BatchNormalization", "MaxPool"] { #expect(ops.contains(op)) }
        #expect(try Self.run(["supports", "--vnnlib-versions"]).lines.prefix(2) == ["1.0", "2.0"])
        let opsets = try Self.run(["supports", "--onnx-opset-versions"]).lines.compactMap { Int($0) }
        #expect(opsets.count == 2 && opsets[0] <= 8 && opsets[1] >= 13)
    }

    @Test func verifySatWritesAConfirmedWitness() throws {
        let resultFile = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-cli-\(getpid()).txt").path
        let run = try Self.run(["verify", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_sat.vnnlib"), "--timeout", "20",
                                "--result", resultFile])
        #expect(run.status == 0)
        #expect(run.lines.first == "sat")
        #expect(run.stdout.contains("nodes: "))
        let result = try String(contentsOfFile: resultFile, encoding: .utf8)
        let lines = result.split(separator: "\n").map(String.init)
        #expect(lines.first == "sat")
        // ((X_0 v) (X_1 v) (Y_0 v) (Y_1 v)): the inputs lie in [-1, 1] and Y_0 − Y_1 ≥ 2.349.
        let values = result.split(whereSeparator: { "() \n".contains($0) }).compactMap { Double($0) }
        #expect(values.count == 4)
        #expect(values[0...1].allSatisfy { abs($0) <= 1 })
        #expect(values[2] - values[3] >= 2.349)
    }

    @Test func verifyUnsatJSON() throws {
        let run = try Self.run(["verify", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_unsat.vnnlib"), "--json"])
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["verdict"] as? String == "unsat")
        #expect((object?["nodes"] as? Int ?? 0) >= 1)
    }

    /// A timeout reports how much of the search space was closed (MNIST-FC 256x2 `prop_1_0.03` needs about 28 s
    /// in a release build).
    @Test func verifyTimeoutReportsTheClosedShare() throws {
        let args = ["verify", Self.prop("mnistfc/mnist-net_256x2.onnx"), Self.prop("mnistfc/prop_1_0.03.vnnlib"),
                    "--timeout", "2"]
        let json = try Self.run(args + ["--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["verdict"] as? String == "timeout")
        let share = try #require(object?["closedShare"] as? Double)
        #expect(share >= 0 && share < 1)
        let text = try Self.run(args)
        #expect(text.lines.first == "timeout")
        #expect(text.lines.contains { $0.hasPrefix("search space closed: ") && $0.hasSuffix("%") })
        let proven = try Self.run(["verify", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_unsat.vnnlib"), "--json"])
        let decided = try JSONSerialization.jsonObject(with: Data(proven.stdout.utf8)) as? [String: Any]
        #expect(decided?["closedShare"] == nil, "a decided run does not report it")
    }

    @Test func verifyStandardForm() throws {
        let run = try Self.run(["verify", Self.fixture("tiny_v2.vnnlib"), "--network", "f=\(Self.prop("tiny/tiny.onnx"))",
                                "--timeout", "10.5"])
        #expect(run.status == 0)
        let lines = run.lines
        #expect(lines.first == "sat")
        #expect(lines.count >= 7)
        #expect(lines[1] == "X float32 [1,2]")
        #expect(lines[4] == "Y float32 [1,2]")
        let bad = try Self.run(["verify", Self.fixture("tiny_v2.vnnlib"), "--network", "g=\(Self.prop("tiny/tiny.onnx"))"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("no network of that name"))
    }

    @Test func badInputExitsWithTwoAndNamesThePlace() throws {
        let truncated = try Self.run(["info", Self.fixture("truncated.onnx")])
        #expect(truncated.status == 2)
        #expect(truncated.stderr.hasPrefix("nncert: error: "))
        #expect(truncated.stderr.contains("truncated.onnx"))
        let syntax = try Self.run(["verify", Self.prop("tiny/tiny.onnx"), Self.fixture("unbalanced.vnnlib")])
        #expect(syntax.status == 2)
        #expect(syntax.stderr.contains("unbalanced.vnnlib:"))
        #expect(syntax.stderr.split(separator: "\n").count == 1)
        let missing = try Self.run(["info", "/nonexistent/model.onnx"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/model.onnx"))
        let mismatch = try Self.run(["verify", Self.prop("tiny/tiny.onnx"), Self.prop("acasxu/prop_1.vnnlib")])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("expected 2"))
    }

    @Test func infoDescribesNetworksAndProperties() throws {
        let run = try Self.run(["info", Self.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        // 13,305 weights and biases plus the 10 of the input normalisation (a Sub folded into an elementwise layer).
        #expect(object?["parameters"] as? Int == 13_315)
        #expect(object?["reluNeurons"] as? Int == 300)
        #expect(object?["inputShape"] as? [Int] == [1, 1, 1, 5])
        let prop = try Self.run(["info", Self.prop("acasxu/prop_6.vnnlib")])
        #expect(prop.stdout.contains("cases (input boxes) 2, disjuncts 8"))
    }

    @Test func evalMatchesKnownOutputs() throws {
        let run = try Self.run(["eval", Self.prop("tiny/tiny.onnx"), "--inputs", Self.fixture("tiny_inputs.csv")])
        #expect(run.status == 0)
        let rows = run.lines.filter { !$0.isEmpty }.map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(rows.count == 2)
        // onnxruntime at (1, -1): (2.2870002, -0.11200005).
        #expect(abs(rows[0][0] - 2.2870002) < 1e-6 && abs(rows[0][1] + 0.11200005) < 1e-6)
        let float32 = try Self.run(["eval", Self.prop("tiny/tiny.onnx"), "--inputs", Self.fixture("tiny_inputs.csv"), "--float32"])
        #expect(float32.lines.first == "2.2870002,-0.11200005")
    }

    @Test func boundsContainTheSampledOutputs() throws {
        let run = try Self.run(["bounds", Self.prop("tiny/tiny.onnx"), Self.prop("tiny/tiny_sat.vnnlib"), "--json"])
        let cases = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
        let lower = cases?.first?["lower"] as? [Double] ?? []
        let upper = cases?.first?["upper"] as? [Double] ?? []
        #expect(lower.count == 2 && upper.count == 2)
        // The known output at (1, -1) lies inside.
        #expect(lower[0] <= 2.287 && 2.287 <= upper[0] && lower[1] <= -0.112 && -0.112 <= upper[1])
    }

    /// Where OpenBLAS falls back to its generic x86-64 kernels on a CPU with AVX2 or AVX-512, nncert switches to
    /// the kernels the CPU supports at start (OpenBLAS names its choice on stderr with OPENBLAS_VERBOSE=2).
    @Test func openBLASRunsTheKernelsTheCPUSupports() throws {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let cpuInfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        else { return }
        let run = try Self.run(["info", Self.prop("tiny/tiny.onnx")], environment: ["OPENBLAS_VERBOSE": "2"])
        #expect(run.status == 0)
        let cores = run.stderr.split(separator: "\n").filter { $0.hasPrefix("Core: ") }.map { $0.dropFirst(6) }
        guard let detected = cores.first else { return }  // not a DYNAMIC_ARCH OpenBLAS: nothing to choose
        let flags = cpuInfo.split(separator: "\n").first { $0.hasPrefix("flags") }.map {
            Set($0.split(separator: " "))
        } ?? []
        let choice = detected.lowercased() == "prescott" ? BLASKernelTuning.kernels(forFlags: flags) : nil
        #expect(cores.last.map(String.init) == choice ?? String(detected), "\(run.stderr)")
    }

    /// `--threads` changes how the products run, not the certified bound; fewer than one thread is refused.
    @Test func lipschitzThreadsKeepTheBound() throws {
        func bound(_ threads: String) throws -> Double? {
            let run = try Self.run(["lipschitz", Self.prop("tiny/tiny.onnx"), "--threads", threads, "--json"])
            #expect(run.status == 0)
            return (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["bound"] as? Double
        }
        let one = try #require(try bound("1")), two = try #require(try bound("2"))
        #expect(abs(one - two) <= 1e-9 * one)
        let refused = try Self.run(["lipschitz", Self.prop("tiny/tiny.onnx"), "--threads", "0"])
        #expect(refused.status != 0 && refused.stderr.contains("--threads must be at least 1"))
    }

    /// ACAS Xu 1_1's balanced chain has the smaller compositional bound (278,255 against 4.43e6, docs/benchmarks.md
    /// "Balanced chains"); `--no-balancing` keeps the plain one. `--interior-point-limit 0` leaves the LMI to the
    /// first-order solver.
    @Test func lipschitzSolverSwitches() throws {
        func details(_ extra: [String]) throws -> [String: String] {
            let run = try Self.run(
                ["lipschitz", Self.prop("acasxu/ACASXU_run2a_1_1_batch_2000.onnx"), "--json", "--time-limit", "5"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return object?["details"] as? [String: String] ?? [:]
        }
        let balanced = try details(["--method", "compositional"])
        let plain = try details(["--method", "compositional", "--no-balancing"])
        #expect(balanced["balanced"] == "yes" && plain["balanced"] == nil)
        let b = try #require(balanced["compositional"].flatMap(Double.init))
        let p = try #require(plain["compositional"].flatMap(Double.init))
        #expect(b < p / 10)
        let firstOrder = try details(["--method", "lipsdp-neuron", "--interior-point-limit", "0", "--iterations", "50"])
        #expect(firstOrder["solver"] == nil && firstOrder["interiorPointSteps"] == nil, "\(firstOrder)")
        let refused = try Self.run(["lipschitz", Self.prop("tiny/tiny.onnx"), "--interior-point-limit=-1"])
        #expect(refused.status != 0 && refused.stderr.contains("--interior-point-limit must be at least 0"))
    }

    @Test func lipschitzPrintsACertifiedBound() throws {
        let run = try Self.run(["lipschitz", Self.prop("tiny/tiny.onnx"), "--method", "lipsdp-neuron", "--json"])
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let bound = object?["bound"] as? Double ?? 0
        #expect(object?["certified"] as? Bool == true)
        let naive = try Self.run(["lipschitz", Self.prop("tiny/tiny.onnx"), "--method", "naive", "--json"])
        let naiveBound = (try JSONSerialization.jsonObject(with: Data(naive.stdout.utf8)) as? [String: Any])?["bound"] as? Double ?? 0
        #expect(bound > 0 && bound <= naiveBound * (1 + 1e-9))
        // The LipSDP methods report a lower bound on their optimum and the gap; closed forms report neither.
        let lower = object?["optimumLowerBound"] as? Double ?? .infinity
        let gap = object?["gap"] as? Double ?? .infinity
        #expect(lower <= bound && abs(gap - (1 - lower / bound)) <= 1e-12)
        let naiveObject = try JSONSerialization.jsonObject(with: Data(naive.stdout.utf8)) as? [String: Any]
        #expect(naiveObject?["optimumLowerBound"] == nil)
        let text = try Self.run(["lipschitz", Self.prop("tiny/tiny.onnx"), "--method", "lipsdp-layer"])
        #expect(text.stdout.contains("optimality: the lipsdp-layer optimum is >= "))
    }
}
