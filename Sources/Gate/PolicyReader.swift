import Yams

/// Reads typed values out of a composed YAML tree, turning every mismatch into a ``GateError/invalid`` that names
/// the policy file, the line and column, and the key path.
struct PolicyReader {
    /// The policy file, for messages.
    var file: String

    /// A node with the key path that led to it.
    struct Entry {
        var node: Node
        var path: String

        func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        func element(_ index: Int) -> String { path + "[\(index)]" }
    }

    func error(_ entry: Entry, _ problem: String) -> GateError {
        .invalid(file: file, line: entry.node.mark?.line, column: entry.node.mark?.column, keyPath: entry.path,
                 problem: problem)
    }

    /// The entries of a mapping, keyed by name, after refusing keys outside `allowed` and duplicate keys.
    func mapping(_ entry: Entry, allowed: [String]) throws(GateError) -> [String: Entry] {
        guard case .mapping(let mapping) = entry.node else { throw error(entry, "must be a mapping (key: value)") }
        var result: [String: Entry] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let keyEntry = Entry(node: keyNode, path: entry.child(key))
            guard allowed.contains(key) else {
                throw error(keyEntry, "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard result[key] == nil else { throw error(keyEntry, "given twice") }
            result[key] = Entry(node: value, path: keyEntry.path)
        }
        return result
    }

    /// The elements of a sequence.
    func sequence(_ entry: Entry) throws(GateError) -> [Entry] {
        guard case .sequence(let sequence) = entry.node else { throw error(entry, "must be a list") }
        return sequence.enumerated().map { Entry(node: $0.element, path: entry.element($0.offset)) }
    }

    /// A plain (non-empty) string.
    func string(_ entry: Entry) throws(GateError) -> String {
        guard case .scalar(let scalar) = entry.node, !scalar.string.isEmpty else {
            throw error(entry, "must be a non-empty string")
        }
        return scalar.string
    }

    /// A finite number greater than 0.
    func positive(_ entry: Entry) throws(GateError) -> Double {
        guard case .scalar = entry.node, let value = entry.node.float, value.isFinite, value > 0 else {
            throw error(entry, "must be a positive number")
        }
        return value
    }

    /// A finite number at least 0.
    func nonNegative(_ entry: Entry) throws(GateError) -> Double {
        guard case .scalar = entry.node, let value = entry.node.float, value.isFinite, value >= 0 else {
            throw error(entry, "must be a number at least 0")
        }
        return value
    }

    /// One of `cases`' raw values.
    func choice<T: CaseIterable & RawRepresentable>(_ entry: Entry, _: T.Type) throws(GateError) -> T
    where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        guard case .scalar(let scalar) = entry.node, let value = T(rawValue: scalar.string) else {
            throw error(entry, "must be one of: \(names.joined(separator: ", "))")
        }
        return value
    }
}
