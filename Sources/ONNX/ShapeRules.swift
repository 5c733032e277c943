/// The shape rules of ONNX's shape-only operators, shared by constant folding and layer import.
///
/// Each function validates its arguments and throws a ``ReasonError`` the caller turns into an ``ONNXError``.
enum ShapeRules {
    static func count(_ shape: [Int]) throws(ReasonError) -> Int {
        guard let n = ConstantTensor.elementCount(shape) else {
            throw ReasonError("shape \(shape) is invalid or exceeds \(ConstantTensor.maximumElementCount) elements")
        }
        return n
    }

    /// `axis` normalised into `0..<rank` (or `0...rank` when `inclusive`).
    static func axis(_ axis: Int, rank: Int, inclusive: Bool = false) throws(ReasonError) -> Int {
        let upper = inclusive ? rank : rank - 1
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a <= upper else { throw ReasonError("axis \(axis) is out of range for rank \(rank)") }
        return a
    }

    /// ONNX `Reshape`: `0` copies the input dimension (unless `allowZero`), `-1` is inferred.
    static func reshape(_ shape: [Int], to spec: [Int], allowZero: Bool) throws(ReasonError) -> [Int] {
        let n = try count(shape)
        var result: [Int] = []
        var inferred: Int?
        for (k, d) in spec.enumerated() {
            switch d {
            case 0 where !allowZero:
                guard k < shape.count else {
                    throw ReasonError("reshape \(spec): dimension \(k) copies a missing input dimension")
                }
                result.append(shape[k])
            case -1:
                guard inferred == nil else { throw ReasonError("reshape \(spec) has more than one -1") }
                inferred = k
                result.append(1)
            case let d where d > 0: result.append(d)
            default: throw ReasonError("reshape \(spec) has an invalid dimension \(d)")
            }
        }
        let known = try count(result)
        if let k = inferred {
            guard known > 0, n % known == 0 else { throw ReasonError("cannot reshape \(shape) to \(spec)") }
            result[k] = n / known
        }
        guard try count(result) == n else { throw ReasonError("cannot reshape \(shape) (\(n) elements) to \(spec)") }
        return result
    }

    /// ONNX `Flatten`: `[prod(shape[..<axis]), prod(shape[axis...])]`.
    static func flatten(_ shape: [Int], axis: Int) throws(ReasonError) -> [Int] {
        let a = try Self.axis(axis, rank: shape.count, inclusive: true)
        return [shape[..<a].reduce(1, *), shape[a...].reduce(1, *)]
    }

    /// ONNX `Softmax`: the length of the groups of consecutive elements it normalises. Before opset 13 the input is
    /// read as a matrix split at `axis` (default 1), each row one group; from opset 13 on the softmax runs along
    /// `axis` (default −1), which must be the last axis of size above 1; nil for another axis (its groups are not
    /// contiguous). Throws for an axis outside the shape.
    static func softmaxGroup(_ shape: [Int], axis attribute: Int?, opset: Int) throws(ReasonError) -> Int? {
        if opset < 13 {
            let a = try axis(attribute ?? 1, rank: shape.count, inclusive: true)
            return shape[a...].reduce(1, *)
        }
        let a = try axis(attribute ?? -1, rank: shape.count)
        return shape[(a + 1)...].allSatisfy { $0 == 1 } ? shape[a] : nil
    }

    /// Why a softmax whose ``softmaxGroup(_:axis:opset:)`` is nil is refused.
    static func softmaxAxisRefusal(axis: Int?, shape: [Int]) -> String {
        "softmax along axis \(axis ?? -1) of \(shape), which is not the last axis"
    }

    /// ONNX `Squeeze`: removes the listed axes (which must have size 1), or every size-1 axis when `axes` is nil.
    static func squeeze(_ shape: [Int], axes: [Int]?) throws(ReasonError) -> [Int] {
        guard let axes else { return shape.filter { $0 != 1 } }
        var drop = Set<Int>()
        for a in axes {
            let k = try axis(a, rank: shape.count)
            guard shape[k] == 1 else { throw ReasonError("cannot squeeze axis \(a) of size \(shape[k]) in \(shape)") }
            drop.insert(k)
        }
        return shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }

    /// ONNX `Unsqueeze`: inserts size-1 axes at the listed positions of the output.
    static func unsqueeze(_ shape: [Int], axes: [Int]) throws(ReasonError) -> [Int] {
        let rank = shape.count + axes.count
        var inserted = Set<Int>()
        for a in axes {
            let k = try axis(a, rank: rank)
            guard inserted.insert(k).inserted else { throw ReasonError("repeated unsqueeze axis \(a)") }
        }
        var result: [Int] = []
        var source = shape.makeIterator()
        for k in 0..<rank { result.append(inserted.contains(k) ? 1 : source.next()!) }
        return result
    }

    /// A validated `Transpose` permutation (`nil` attribute: reversed axes).
    static func permutation(_ perm: [Int]?, rank: Int) throws(ReasonError) -> [Int] {
        let p = perm ?? Array((0..<rank).reversed())
        guard p.count == rank, Set(p) == Set(0..<rank) else {
            throw ReasonError("perm \(p) is not a permutation of the \(rank) axes")
        }
        return p
    }
}
