import Foundation

/// A temporary folder holding a policy and the VNN-LIB files it names, removed by ``remove()``.
struct PolicyFolder {
    let url: URL

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nncert-gate-\(getpid())-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// A VNN-LIB property over inputs `X_0, X_1 ∈ [0, 1]` and one output, violated when `Y_0 ≥ threshold`.
    static func property(threshold: Double) -> String {
        """
        (declare-const X_0 Real)
        (declare-const X_1 Real)
        (declare-const Y_0 Real)
        (assert (>= X_0 0.0))
        (assert (<= X_0 1.0))
        (assert (>= X_1 0.0))
        (assert (<= X_1 1.0))
        (assert (>= Y_0 \(threshold)))
        """
    }
}
