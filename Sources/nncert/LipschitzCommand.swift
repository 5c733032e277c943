import ArgumentParser
import Foundation
import LipschitzSDP
import ONNX
import Tensor
import VNNLib

/// `nncert lipschitz NET`: a certified upper bound on the ℓ₂ Lipschitz constant, global or over a property's box.
struct LipschitzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lipschitz",
        abstract: "Certified upper bound on the l2 Lipschitz constant of a network (global, or local over a property's input box).")

    @Argument(help: "The network (.onnx or .nnet).")
    var network: String

    @Option(help: "Method, loosest to tightest: \(LipschitzMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: LipschitzMethod = .lipsdpNeuron

    @Option(help: "A VNN-LIB property: bound the constant over each of its input boxes (local bound).")
    var property: String?

    @Option(help: "First-order iterations (LipSDP methods).")
    var iterations: Int?

    @Option(help: "Time limit in seconds for the first-order solver.")
    var timeLimit: Double?

    @Option(help: "Stop when the bound is within this relative gap of a lower bound on the LipSDP optimum (default 0.01).")
    var gap: Double?

    @Option(help: "Threads for the matrix products (OpenBLAS; default: every core, as nothing else runs beside them).")
    var threads: Int?

    @Flag(help: "Solve on the network's own coordinates only, not also on its balanced form (each hidden neuron's incoming and outgoing weights rescaled to equal norms; details[\"balanced\"] says when that was chosen).")
    var noBalancing = false

    @Option(help: "LipSDP-Neuron LMIs up to this dimension are solved by the interior-point method first (default \(LipschitzOptions().interiorPointDimension); 0: the first-order solver alone).")
    var interiorPointLimit: Int?

    @Flag(help: "Machine-readable output.")
    var json = false

    struct Report: Encodable {
        var network: String
        var method: String
        var bound: Double
        /// Always true: every returned bound passed a check that can fail (kept in the JSON for its readers).
        var certified: Bool
        var local: Bool
        var caseIndex: Int?
        var certificationMargin: Double
        var roundingShift: Double
        var iterations: Int
        var seconds: Double
        /// Lower bound on the optimum of the LipSDP program (from a dual-feasible point), LipSDP methods only.
        var optimumLowerBound: Double?
        var gap: Double?
        var details: [String: String]
    }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads).") }
        if let interiorPointLimit, interiorPointLimit < 0 {
            throw ValidationError("--interior-point-limit must be at least 0, got \(interiorPointLimit).")
        }
    }

    func run() throws {
        let net = try BadInput.reporting(context: network) { try NetworkLoader.load(path: network) }
        var options = LipschitzOptions()
        if let iterations { options.iterations = iterations }
        if let timeLimit { options.timeLimit = timeLimit }
        if let gap { options.gapTolerance = gap }
        options.balancing = !noBalancing
        if let interiorPointLimit { options.interiorPointDimension = interiorPointLimit }
        BLAS.useThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let analyzer = try BadInput.reporting(context: network) { try LipschitzAnalyzer(network: net) }
        var reports: [Report] = []
        if let property {
            let spec = try BadInput.reporting { try Specification(contentsOfFile: property) }
            for (k, c) in spec.cases.enumerated() {
                let r = try BadInput.reporting(context: property) {
                    try analyzer.localBound(method: method, inputBox: c.inputBox, options: options)
                }
                reports.append(report(r, caseIndex: k))
            }
        } else {
            let r = try BadInput.reporting(context: network) { try analyzer.bound(method: method, options: options) }
            reports.append(report(r, caseIndex: nil))
        }
        if json {
            print(try JSONOutput.encode(property == nil ? AnyEncodable(reports[0]) : AnyEncodable(reports)))
            return
        }
        for r in reports {
            let scope = r.caseIndex.map { "local, case \($0)" } ?? "global"
            print("\(r.bound)")
            print("method: \(r.method) (\(scope)), certified")
            print(String(format: "certification margin: %.3g (relative raise of rho), rounding shift %.3g", r.certificationMargin, r.roundingShift))
            if let lower = r.optimumLowerBound, let gap = r.gap {
                print(String(format: "optimality: the %@ optimum is >= %.10g (gap %.3g%%)", r.method, lower, 100 * gap))
            }
            print("iterations: \(r.iterations)")
            print(String(format: "time: %.3f s", r.seconds))
        }
    }

    private func report(_ r: LipschitzResult, caseIndex: Int?) -> Report {
        Report(network: network, method: r.method.rawValue, bound: r.bound, certified: true, local: r.isLocal,
               caseIndex: caseIndex, certificationMargin: r.margin, roundingShift: r.roundingShift,
               iterations: r.iterations, seconds: r.seconds, optimumLowerBound: r.optimumLowerBound, gap: r.gap,
               details: r.details)
    }
}

/// Type erasure so one `--json` path can print a single report or a list.
struct AnyEncodable: Encodable {
    private let encodeBody: (Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeBody = value.encode }
    func encode(to encoder: Encoder) throws { try encodeBody(encoder) }
}

extension LipschitzMethod: ExpressibleByArgument {}
