import Foundation
import Network
import Tensor

/// Paths and seeded inputs shared by the ONNX tests.
enum Fixtures {
    /// The repository root (the tests read `properties/` from it).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The copied `Fixtures` resource folder.
    static let directory: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// The source (not the copied resource) folder, where `exportWritesFixtures` writes.
    static let sourceDirectory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func model(_ name: String) -> String { directory.appendingPathComponent("models/\(name)").path }

    static func property(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent("properties/\(relative)").path
    }

    /// A path stored in a reference fixture: absolute, or relative to the repository root.
    static func resolve(_ stored: String) -> String {
        stored.hasPrefix("/") ? stored : repositoryRoot.appendingPathComponent(stored).path
    }

    /// Reference input `k` of `count` elements, exactly as `generate_reference_outputs.py` draws it:
    /// SplitMix64 seeded with `seedBase + k`, `x_i = Float(−1 + 2u)`, `u = (next() >> 11) · 2⁻⁵³`.
    static func referenceInput(_ k: Int, count: Int, seedBase: Int = 1000) -> [Float] {
        var rng = SplitMix64(seed: UInt64(seedBase + k))
        return (0..<count).map { _ in Float(-1 + 2 * (Double(rng.next() >> 11) * 0x1p-53)) }
    }
}

/// Largest absolute and relative (`|y − r| / (1 + |r|)`) errors seen.
struct ErrorStatistics: CustomStringConvertible {
    var absolute = 0.0
    var relative = 0.0

    mutating func record(_ y: Double, reference r: Double) {
        absolute = max(absolute, abs(y - r))
        relative = max(relative, abs(y - r) / (1 + abs(r)))
    }

    mutating func merge(_ other: ErrorStatistics) {
        absolute = max(absolute, other.absolute)
        relative = max(relative, other.relative)
    }

    var description: String {
        "max abs \(String(format: "%.3g", absolute)), max rel \(String(format: "%.3g", relative))"
    }
}

/// Compares two networks layer by layer, parameters up to `tolerance` (relative), geometry exactly.
func approximatelyEqual(_ a: Network, _ b: Network, tolerance: Double) -> Bool {
    func close(_ x: [Double], _ y: [Double]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
    }
    guard a.inputShape == b.inputShape, a.layerShapes == b.layerShapes, a.layers.count == b.layers.count else {
        return false
    }
    for (x, y) in zip(a.layers, b.layers) {
        switch (x, y) {
        case let (.dense(p), .dense(q)):
            guard p.weights.rows == q.weights.rows, close(p.weights.storage, q.weights.storage), close(p.bias, q.bias)
            else { return false }
        case var (.conv2d(p), .conv2d(q)):
            guard close(p.weights, q.weights), close(p.bias, q.bias) else { return false }
            (p.weights, p.bias, q.weights, q.bias) = ([], [], [], [])
            guard p == q else { return false }
        case let (.elementwise(p), .elementwise(q)):
            guard close(p.scale, q.scale), close(p.shift, q.shift) else { return false }
        default:
            guard x == y else { return false }
        }
    }
    return true
}
