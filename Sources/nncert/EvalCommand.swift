import ArgumentParser
import Foundation
import Network
import ONNX
import Tensor

/// `nncert eval NET --inputs FILE.csv`: forward passes, one CSV row out per row in.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a network on input vectors (one per CSV row) and print the outputs as CSV.")

    @Argument(help: "The network (.onnx or .nnet).")
    var network: String

    @Option(help: "CSV file with one input vector per row (a non-numeric first row is taken as a header).")
    var inputs: String

    @Flag(help: "Evaluate in Float32 (weights and arithmetic), like ONNX Runtime, instead of Float64.")
    var float32 = false

    func run() throws {
        let net = try BadInput.reporting(context: network) { try NetworkLoader.load(path: network) }
        let rows = try BadInput.reporting { try Self.readRows(inputs, width: net.inputCount) }
        var out = ""
        for x in rows {
            if float32 {
                out += net.evaluate(x.map { Float($0) }).map { "\($0)" }.joined(separator: ",")
            } else {
                out += net.evaluate(x).map { "\($0)" }.joined(separator: ",")
            }
            out += "\n"
        }
        print(out, terminator: "")
    }

    /// Parses a CSV of numbers; every row must have `width` finite values.
    static func readRows(_ path: String, width: Int) throws -> [[Double]] {
        let data: Data
        do {
            data = try FileContents.read(atPath: path)
        } catch {
            throw CLIInputError(file: path, problem: error.reason)
        }
        let text = String(decoding: data, as: UTF8.self)
        var rows: [[Double]] = []
        for (n, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let values = fields.map { Double($0) }
            if values.contains(where: { $0 == nil }) {
                if rows.isEmpty && n == 0 { continue }  // header
                let bad = fields[values.firstIndex(where: { $0 == nil })!]
                throw CLIInputError(file: path, line: n + 1, problem: "'\(bad)' is not a number")
            }
            let row = values.map { $0! }
            guard row.count == width else {
                throw CLIInputError(file: path, line: n + 1, problem: "\(row.count) values, the network takes \(width)")
            }
            guard row.allSatisfy(\.isFinite) else {
                throw CLIInputError(file: path, line: n + 1, problem: "NaN or infinite input")
            }
            rows.append(row)
        }
        return rows
    }
}
