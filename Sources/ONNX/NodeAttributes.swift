/// Typed access to a node's attributes, with errors that name the node.
struct NodeAttributes {
    private let attributes: [String: Onnx_AttributeProto]
    let context: NodeContext

    /// Largest absolute value accepted for an integer attribute (pads, strides, axes): far above any real model,
    /// small enough that shape arithmetic cannot overflow.
    static let maximumIntegerMagnitude: Int64 = 1 << 31

    init(_ node: Onnx_NodeProto, context: NodeContext) {
        var map: [String: Onnx_AttributeProto] = [:]
        for a in node.attribute { map[a.name] = a }
        attributes = map
        self.context = context
    }

    func has(_ name: String) -> Bool { attributes[name] != nil }

    private func checked(_ v: Int64, _ name: String) throws(ONNXError) -> Int {
        guard v >= -Self.maximumIntegerMagnitude, v <= Self.maximumIntegerMagnitude else {
            throw context.invalid("attribute '\(name)' value \(v) is out of range")
        }
        return Int(v)
    }

    func int(_ name: String, default value: Int) throws(ONNXError) -> Int {
        guard let a = attributes[name] else { return value }
        return try checked(a.i, name)
    }

    /// The integer attribute `name`, nil when absent.
    func optionalInt(_ name: String) throws(ONNXError) -> Int? {
        guard let a = attributes[name] else { return nil }
        return try checked(a.i, name)
    }

    func ints(_ name: String) throws(ONNXError) -> [Int]? {
        guard let a = attributes[name] else { return nil }
        var result: [Int] = []
        for v in a.ints { result.append(try checked(v, name)) }
        return result
    }

    func float(_ name: String, default value: Double) throws(ONNXError) -> Double {
        guard let a = attributes[name] else { return value }
        let v = Double(a.f)
        guard v.isFinite else { throw context.invalid("attribute '\(name)' is NaN or infinite") }
        return v
    }

    func string(_ name: String) -> String? {
        attributes[name].map { String(decoding: $0.s, as: UTF8.self) }
    }

    func attribute(_ name: String) -> Onnx_AttributeProto? { attributes[name] }
}

/// The node being imported, for error messages.
struct NodeContext {
    let file: String
    /// The node's name, or `#index` when it has none.
    let name: String
    let op: String

    func invalid(_ reason: String) -> ONNXError { .invalidNode(file: file, node: name, op: op, reason: reason) }
    func unsupported(_ reason: String) -> ONNXError { .unsupported(file: file, node: name, op: op, reason: reason) }
    func notAChain(_ reason: String) -> ONNXError { .notAChain(file: file, node: name, op: op, reason: reason) }
}
