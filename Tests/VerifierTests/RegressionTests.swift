import Foundation
import ONNX
import Testing
import VNNLib
import Verifier

/// The fast tier of `properties/regression.csv`, verified end to end through the library API.
struct RegressionTests {
    static let properties = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("properties")

    struct Row: CustomTestStringConvertible, Sendable {
        var network: String
        var property: String
        var expected: String
        var timeout: Double
        var testDescription: String { "\(network) \(property)" }
    }

    static func rows(tier: String) -> [Row] {
        guard let text = try? String(contentsOf: properties.appendingPathComponent("regression.csv"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",").map(String.init)
            guard f.count == 5, f[4] == tier else { return nil }
            return Row(network: f[0], property: f[1], expected: f[2], timeout: Double(f[3]) ?? 60)
        }
    }

    @Test func fastTierIsNotEmpty() { #expect(Self.rows(tier: "fast").count >= 7) }

    @Test(arguments: rows(tier: "fast"))
    func fastTier(_ row: Row) throws {
        let network = try NetworkLoader.load(path: Self.properties.appendingPathComponent(row.network).path)
        let spec = try Specification(contentsOfFile: Self.properties.appendingPathComponent(row.property).path)
        let result = try Verifier(options: VerificationOptions(timeout: row.timeout)).verify(network: network, specification: spec)
        switch (row.expected, result.verdict) {
        case ("sat", .violated(let cex)):
            // Confirmed in Float64 and Float32 by construction; check the witness against the spec once more.
            #expect(spec.violation(input: cex.input, output: network.evaluate(cex.input)) != nil)
        case ("unsat", .proven):
            break
        default:
            Issue.record("expected \(row.expected), got \(result.verdict)")
        }
    }
}
