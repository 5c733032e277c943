import Foundation
import LipschitzSDP
import Tensor
import Yams

extension GatePolicy {
    /// The top-level keys of schema version 1.
    static let keys = ["version", "properties", "require", "lipschitz", "difference", "timeout", "budget", "undecided"]

    /// Reads and validates a policy file (YAML, or JSON, which is read as YAML). Property paths are resolved against
    /// the file's folder and must exist.
    /// - Throws: ``GateError/unreadable(file:line:column:reason:)`` for a file that cannot be read or parsed,
    ///   ``GateError/invalid(file:line:column:keyPath:problem:)`` naming the key of the first invalid entry.
    public init(contentsOfFile path: String) throws(GateError) {
        let data: Data
        do {
            data = try FileContents.read(atPath: path)
        } catch {
            throw .unreadable(file: path, line: nil, column: nil, reason: error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(file: path, line: nil, column: nil, reason: "not UTF-8 text")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try self.init(text: text, file: path, folder: folder)
    }

    /// Validates policy `text`; `file` names it in errors, property paths are resolved against `folder`.
    public init(text: String, file: String, folder: String) throws(GateError) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw GateError.unreadable(file: file, line: nil, column: nil, reason: "the policy is empty")
            }
            root = node
        } catch let error as GateError {
            throw error
        } catch let error as YamlError {
            throw Self.unreadable(file, error)
        } catch {
            throw .unreadable(file: file, line: nil, column: nil, reason: String(describing: error))
        }
        let reader = PolicyReader(file: file)
        let top = PolicyReader.Entry(node: root, path: "")
        let entries = try reader.mapping(top, allowed: Self.keys)
        guard let version = entries["version"] else { throw reader.error(top, "missing key 'version' (write version: 1)") }
        guard version.node.int == Self.version else {
            throw reader.error(version, "unsupported version (this nncert reads version \(Self.version))")
        }
        self.init(file: file)
        if let e = entries["timeout"] { timeout = try reader.positive(e) }
        if let e = entries["budget"] { budget = try reader.positive(e) }
        if let e = entries["require"] { require = try reader.choice(e, Requirement.self) }
        if let e = entries["undecided"] { undecided = try reader.choice(e, UndecidedAction.self) }
        if let e = entries["properties"] { properties = try Self.properties(e, reader, folder: folder) }
        if let e = entries["lipschitz"] { lipschitz = try Self.lipschitz(e, reader) }
        if let e = entries["difference"] {
            difference = try Self.difference(e, reader, properties: properties, folder: folder)
        }
        if properties.isEmpty && lipschitz == nil && difference == nil {
            throw reader.error(top, "the policy checks nothing: give properties, lipschitz or difference")
        }
    }

    private static func properties(
        _ entry: PolicyReader.Entry, _ reader: PolicyReader, folder: String
    ) throws(GateError) -> [Property] {
        var result: [Property] = []
        for element in try reader.sequence(entry) {
            var property: Property
            if case .scalar = element.node {
                let path = try reader.string(element)
                property = Property(path: path, file: resolve(path, in: folder))
            } else {
                let fields = try reader.mapping(element, allowed: ["path", "timeout"])
                guard let pathEntry = fields["path"] else { throw reader.error(element, "missing key 'path'") }
                let path = try reader.string(pathEntry)
                property = Property(path: path, file: resolve(path, in: folder))
                if let t = fields["timeout"] { property.timeout = try reader.positive(t) }
            }
            guard FileManager.default.fileExists(atPath: property.file) else {
                throw reader.error(element, "no such property file \(property.file)")
            }
            guard !result.contains(where: { $0.path == property.path }) else {
                throw reader.error(element, "\(property.path) is listed twice")
            }
            result.append(property)
        }
        if result.isEmpty { throw reader.error(entry, "must list at least one property file") }
        return result
    }

    private static func lipschitz(_ entry: PolicyReader.Entry, _ reader: PolicyReader) throws(GateError) -> Lipschitz {
        let fields = try reader.mapping(entry, allowed: ["max-ratio", "method", "timeout"])
        guard let ratio = fields["max-ratio"] else { throw reader.error(entry, "missing key 'max-ratio'") }
        var result = Lipschitz(maxRatio: try reader.positive(ratio))
        if let m = fields["method"] { result.method = try reader.choice(m, LipschitzMethod.self) }
        if let t = fields["timeout"] { result.timeout = try reader.positive(t) }
        return result
    }

    private static func difference(
        _ entry: PolicyReader.Entry, _ reader: PolicyReader, properties: [Property], folder: String
    ) throws(GateError) -> Difference {
        let fields = try reader.mapping(entry, allowed: ["over", "max", "per-output", "per-property", "timeout"])
        var result = Difference()
        if let over = fields["over"] { result.over = try Self.properties(over, reader, folder: folder) }
        let regions = (result.over.isEmpty ? properties : result.over).map(\.path)
        if regions.isEmpty {
            throw reader.error(entry, "needs boxes: list properties, or files under difference.over")
        }
        if let m = fields["max"] { result.max = try reader.positive(m) }
        if let list = fields["per-output"] {
            let limits = try reader.sequence(list)
            if limits.isEmpty { throw reader.error(list, "must list one limit per output") }
            var values: [Double] = []
            for limit in limits { values.append(try reader.positive(limit)) }
            result.perOutput = values
        }
        if let map = fields["per-property"] {
            let limits = try reader.mapping(map, allowed: regions)
            for (key, limit) in limits { result.perProperty[key] = try reader.positive(limit) }
        }
        if let t = fields["timeout"] { result.timeout = try reader.positive(t) }
        if result.max == nil && result.perOutput == nil && result.perProperty.count < regions.count {
            throw reader.error(entry, "needs a limit: max, per-output, or per-property for every property")
        }
        return result
    }

    private static func resolve(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: folder).appendingPathComponent(path).path
    }

    private static func unreadable(_ file: String, _ error: YamlError) -> GateError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            .unreadable(file: file, line: mark.line, column: mark.column, reason: "not valid YAML or JSON: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            .unreadable(file: file, line: context.mark.line, column: context.mark.column,
                        reason: "duplicate key " + duplicates.map { "'\($0)'" }.joined(separator: ", "))
        default:
            .unreadable(file: file, line: nil, column: nil, reason: "not valid YAML or JSON")
        }
    }
}
