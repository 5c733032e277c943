/// An exact linear map of a flat row-major tensor that only copies, sums or averages elements: output element
/// `k` is `(Σ_{t < termsPerRow} x[sources[k · termsPerRow + t]]) / divisor`. The shape-moving and reducing
/// operators whose parameters are constant (Slice, Split, Expand, ReduceSum, ReduceMean) are such maps; the
/// importer makes one a dense layer, the constant folding applies it in Float64 and ``GraphInterpreter`` in
/// Float32, so the three read one rule. Every output element sums the same number of terms, so the map is one
/// flat array (8 bytes per term: no larger than the tensors it maps, which ``ConstantTensor`` caps).
struct LinearMap: Sendable {
    /// ONNX shape of the output.
    var shape: [Int]
    /// The input elements summed into each output element, `termsPerRow` consecutive entries each, in order.
    var sources: [Int]
    /// 1 for copies, the number of reduced elements for a sum or mean.
    var termsPerRow = 1
    /// 1 for copies and sums, the number of reduced elements for a mean.
    var divisor = 1

    /// Number of output elements.
    var count: Int { shape.reduce(1, *) }

    /// The map applied in Float64.
    func apply(_ x: [Double]) -> [Double] {
        (0..<count).map { r in
            var sum = 0.0
            for t in 0..<termsPerRow { sum += x[sources[r * termsPerRow + t]] }
            return divisor == 1 ? sum : sum / Double(divisor)
        }
    }

    /// The map applied in Float32, summing in order as ONNX Runtime's reductions do, then dividing.
    func apply(_ x: [Float]) -> [Float] {
        (0..<count).map { r in
            var sum: Float = 0
            for t in 0..<termsPerRow { sum += x[sources[r * termsPerRow + t]] }
            return divisor == 1 ? sum : sum / Float(divisor)
        }
    }

    /// True when the map is the identity on `count` elements (only the shape may change).
    func isIdentity(count inputCount: Int) -> Bool {
        termsPerRow == 1 && divisor == 1 && sources.count == inputCount
            && sources.enumerated().allSatisfy { $0.element == $0.offset }
    }

    /// Every element of `target` read from its numpy-broadcast source in a tensor of `shape` (Expand).
    static func expand(_ shape: [Int], to target: [Int]) throws(ReasonError) -> LinearMap {
        guard let result = ConstantTensor.broadcastShape(shape, target) else {
            throw ReasonError("shape \(shape) does not broadcast to \(target)")
        }
        _ = try ShapeRules.count(result)
        let positions = ConstantTensor(shape: shape, values: (0..<shape.reduce(1, *)).map(Double.init))
        guard let sources = positions.expanded(to: result) else {
            throw ReasonError("shape \(shape) does not broadcast to \(target)")
        }
        return LinearMap(shape: result, sources: sources.map { Int($0) })
    }

    /// The elements at `indices[a]` along every axis `a` (row-major over the selected positions): Slice, Split.
    static func select(_ shape: [Int], indices: [[Int]]) throws(ReasonError) -> LinearMap {
        let result = indices.map(\.count)
        let n = try ShapeRules.count(result)
        let strides = ConstantTensor.strides(of: shape)
        var sources: [Int] = []
        sources.reserveCapacity(n)
        var position = [Int](repeating: 0, count: shape.count)
        for _ in 0..<n {
            sources.append(zip(position.indices, strides).reduce(0) { $0 + indices[$1.0][position[$1.0]] * $1.1 })
            var k = shape.count - 1
            while k >= 0 {
                position[k] += 1
                if position[k] < result[k] { break }
                position[k] = 0
                k -= 1
            }
        }
        return LinearMap(shape: result, sources: sources)
    }

    /// The positions ONNX `Slice` takes along an axis of size `size`: from `start` to `end` (exclusive) by `step`,
    /// negative values counting from the end, clamped as the operator specifies.
    static func sliceIndices(size: Int, start: Int, end: Int, step: Int) throws(ReasonError) -> [Int] {
        guard step != 0 else { throw ReasonError("slice step 0") }
        var s = start < 0 ? start + size : start
        var e = end < 0 ? end + size : end
        var result: [Int] = []
        if step > 0 {
            s = min(max(s, 0), size)
            e = min(max(e, 0), size)
            var i = s
            while i < e {
                result.append(i)
                i += step
            }
        } else {
            s = min(max(s, 0), size - 1)
            e = min(max(e, -1), size - 1)
            var i = s
            while i > e {
                result.append(i)
                i += step
            }
        }
        return result
    }

    /// ONNX ReduceSum (`divisor` 1) or ReduceMean over `axes` (normalised, distinct) of a tensor of `shape`.
    static func reduce(_ shape: [Int], axes: Set<Int>, keepDimensions: Bool, mean: Bool) throws(ReasonError)
        -> LinearMap
    {
        let kept = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
        let n = try ShapeRules.count(kept)
        let reduced = axes.reduce(1) { $0 * shape[$1] }
        let strides = ConstantTensor.strides(of: shape), keptStrides = ConstantTensor.strides(of: kept)
        // Input i is the next term of the output it reduces into; inputs in increasing order, so terms are too.
        var sources = [Int](repeating: 0, count: n * reduced)
        var filled = [Int](repeating: 0, count: n)
        for i in 0..<shape.reduce(1, *) {
            var target = 0
            for k in shape.indices where !axes.contains(k) { target += (i / strides[k]) % shape[k] * keptStrides[k] }
            sources[target * reduced + filled[target]] = i
            filled[target] += 1
        }
        let output = keepDimensions ? kept : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        return LinearMap(shape: output, sources: sources, termsPerRow: reduced, divisor: mean ? max(reduced, 1) : 1)
    }
}
