import Tensor

/// Product networks: several networks as one, so that a property over all of them is a property of one network.
///
/// Each network is first written in stages (``NetworkStage``: one dense affine map, then one activation), the
/// stages are aligned (ReLU networks of different depths are padded with identity stages
/// `y = relu(y) − relu(−y)`), and stage `l` of the product is the block-diagonal combination of the networks'
/// stage `l`; the first stage's blocks also absorb each network's input selection. Max pools of the same window
/// geometry combine into one pool over the networks' channels stacked in order (the block rows of the stage
/// before are exactly those channels, network after network), so pooled CNNs and their compressed copies —
/// structured-pruned ones included — have a product network too. Matrices are dense, so the
/// construction refuses (with ``NetworkError/invalidShape(layer:shape:reason:)``) any stage of more than
/// ``productEntryLimit`` entries.
extension Network {
    /// The largest number of entries of one dense matrix of a product network (25 million, 200 MB).
    public static let productEntryLimit = 25_000_000

    /// One network on a shared input vector z that computes the concatenation [f_1(S_1 z); …; f_k(S_k z)],
    /// where each S_k selects (by index) the components of z that network k reads (inputs[k][j] = index into z).
    ///
    /// Indices may repeat (within one network or across networks): tied inputs read the same coordinate of z.
    /// Input clipping (``inputClamp``) carries over to z when every network reading a coordinate clips it to
    /// the same range.
    /// - Throws: ``NetworkError`` when a selection does not fit its network or `inputCount`, when the activation
    ///   sequences differ (max pools: in more than their channel counts) and are not all ReLU, when two networks clip a shared
    ///   coordinate differently, or when a dense stage would exceed ``productEntryLimit`` entries.
    public static func sideBySide(_ networks: [Network], inputCount: Int, inputs: [[Int]]) throws(NetworkError)
        -> Network
    {
        try validate(selections: inputs, of: networks, inputCount: inputCount)
        let stages = try alignedStages(networks)
        let combined = try combine(stages, inputCount: inputCount, inputs: inputs)
        let clamp = try sharedClamp(networks, inputCount: inputCount, inputs: inputs)
        return try assemble(combined, inputShape: [1, inputCount], clamp: clamp)
    }

    /// The network x ↦ g(x) − f(x) (same input vector for both; output counts must match).
    ///
    /// - Throws: ``NetworkError`` when the input or output counts differ, or for the reasons of
    ///   ``sideBySide(_:inputCount:inputs:)``.
    public static func difference(original f: Network, compressed g: Network) throws(NetworkError) -> Network {
        guard f.inputCount == g.inputCount else {
            throw .invalidShape(
                layer: nil, shape: g.inputShape,
                reason: "the compressed network reads \(g.inputCount) inputs, the original \(f.inputCount)")
        }
        guard f.outputCount == g.outputCount else {
            throw .invalidShape(
                layer: nil, shape: g.outputShape,
                reason: "the compressed network has \(g.outputCount) outputs, the original \(f.outputCount)")
        }
        let inputs = [Array(0..<f.inputCount), Array(0..<f.inputCount)]
        var combined = try combine(alignedStages([f, g]), inputCount: f.inputCount, inputs: inputs)
        combined[combined.count - 1] = subtractingHalves(combined[combined.count - 1])
        let clamp = try sharedClamp([f, g], inputCount: f.inputCount, inputs: inputs)
        return try assemble(combined, inputShape: f.inputShape, clamp: clamp)
    }

    private static func validate(selections inputs: [[Int]], of networks: [Network], inputCount: Int)
        throws(NetworkError)
    {
        guard !networks.isEmpty, inputs.count == networks.count else {
            throw .invalidShape(
                layer: nil, shape: [inputCount],
                reason: "a product of \(networks.count) networks needs \(networks.count) input selections, "
                    + "found \(inputs.count)")
        }
        for (k, network) in networks.enumerated() {
            guard inputs[k].count == network.inputCount else {
                throw .invalidInput(expectedCount: network.inputCount, found: inputs[k].count)
            }
            if let bad = inputs[k].first(where: { !(0..<inputCount).contains($0) }) {
                throw .invalidShape(
                    layer: nil, shape: [inputCount],
                    reason: "network \(k + 1) reads index \(bad), outside the shared input of \(inputCount) values")
            }
        }
    }

    /// Every network's stages, padded to a common ReLU depth when the activation sequences differ.
    private static func alignedStages(_ networks: [Network]) throws(NetworkError) -> [[NetworkStage]] {
        var all: [[NetworkStage]] = []
        for (k, network) in networks.enumerated() {
            all.append(try NetworkStage.stages(of: network, index: k, limit: productEntryLimit))
        }
        let sequences = all.map { $0.compactMap(\.activation) }
        if Set(sequences.map { $0.map(\.stageKey) }).count <= 1 { return all }
        for (k, sequence) in sequences.enumerated() {
            if let other = sequence.first(where: { $0 != .relu }) {
                throw .invalidShape(
                    layer: nil, shape: networks[k].inputShape,
                    reason: "network \(k + 1) uses \(other.kindName) and the networks' activation sequences differ "
                        + "(\(sequences.map { $0.map(\.kindName) })); only ReLU networks can be padded to a common depth")
            }
        }
        let depth = sequences.map(\.count).max() ?? 0
        return all.map { NetworkStage.padded($0, toActivations: depth) }
    }

    /// Stage `l` of the product: first stage stacked over z (selections absorbed), later stages block-diagonal.
    private static func combine(_ perNetwork: [[NetworkStage]], inputCount: Int, inputs: [[Int]])
        throws(NetworkError) -> [NetworkStage]
    {
        var combined: [NetworkStage] = []
        for l in perNetwork[0].indices {
            let parts = perNetwork.map { $0[l] }
            let rows = parts.reduce(0) { $0 + $1.outputCount }
            let columns = l == 0 ? inputCount : parts.reduce(0) { $0 + $1.weights.columns }
            let (entries, overflow) = rows.multipliedReportingOverflow(by: columns)
            guard !overflow, entries <= productEntryLimit else {
                throw .invalidShape(
                    layer: nil, shape: [rows, columns],
                    reason: "stage \(l + 1) of the product network would be a \(rows) × \(columns) dense matrix, "
                        + "more than the limit of \(productEntryLimit) entries")
            }
            var weights = Matrix(rows: rows, columns: columns)
            var row = 0, column = 0
            for (k, part) in parts.enumerated() {
                let target = l == 0 ? inputs[k] : Array(column..<(column + part.weights.columns))
                place(part.weights, in: &weights, firstRow: row, columns: target)
                row += part.outputCount
                column += part.weights.columns
            }
            combined.append(NetworkStage(
                weights: weights, bias: parts.flatMap(\.bias), activation: combinedActivation(parts.map(\.activation)),
                isIdentity: l > 0 && parts.allSatisfy(\.isIdentity)))
        }
        return combined
    }

    /// The activation of a product stage: the parts' own (all alike), or for max pools one pool over all their
    /// channels.
    private static func combinedActivation(_ parts: [Layer?]) -> Layer? {
        guard case var .maxPool(pool) = parts[0] else { return parts[0] }
        pool.channels = parts.reduce(0) { total, part in
            if case let .maxPool(p) = part { total + p.channels } else { total }
        }
        return .maxPool(pool)
    }

    /// Adds column `j` of `block` into column `columns[j]` of `matrix`, rows from `firstRow` on.
    private static func place(_ block: Matrix, in matrix: inout Matrix, firstRow: Int, columns: [Int]) {
        for r in 0..<block.rows {
            for (j, c) in columns.enumerated() { matrix[firstRow + r, c] += block[r, j] }
        }
    }

    /// The stage whose rows are the bottom half of `stage` minus its top half (g's block minus f's).
    private static func subtractingHalves(_ stage: NetworkStage) -> NetworkStage {
        let n = stage.outputCount / 2
        let columns = stage.weights.columns
        var weights = Matrix(rows: n, columns: columns)
        for r in 0..<n {
            for c in 0..<columns { weights[r, c] = stage.weights[n + r, c] - stage.weights[r, c] }
        }
        let bias = (0..<n).map { stage.bias[n + $0] - stage.bias[$0] }
        return NetworkStage(weights: weights, bias: bias, activation: stage.activation)
    }

    /// The clipping box of z: each coordinate clipped as every network reading it clips it (unbounded when no
    /// network reads it); nil when no network clips.
    private static func sharedClamp(_ networks: [Network], inputCount: Int, inputs: [[Int]]) throws(NetworkError)
        -> Box?
    {
        guard networks.contains(where: { $0.inputClamp != nil }) else { return nil }
        var clamp = Box(
            lower: [Double](repeating: -.infinity, count: inputCount),
            upper: [Double](repeating: .infinity, count: inputCount))
        var reader: [Int?] = Array(repeating: nil, count: inputCount)
        for (k, network) in networks.enumerated() {
            for (j, z) in inputs[k].enumerated() {
                let lower = network.inputClamp?.lower[j] ?? -.infinity
                let upper = network.inputClamp?.upper[j] ?? .infinity
                if let first = reader[z] {
                    guard clamp.lower[z] == lower, clamp.upper[z] == upper else {
                        throw .invalidInputClamp(
                            reason: "networks \(first + 1) and \(k + 1) read shared input \(z) but clip it to "
                                + "different ranges")
                    }
                } else {
                    reader[z] = k
                    clamp.lower[z] = lower
                    clamp.upper[z] = upper
                }
            }
        }
        return clamp
    }

    private static func assemble(_ stages: [NetworkStage], inputShape: [Int], clamp: Box?) throws(NetworkError)
        -> Network
    {
        var layers: [Layer] = []
        for stage in stages {
            if !stage.isIdentity { layers.append(.dense(Dense(weights: stage.weights, bias: stage.bias))) }
            if case let .maxPool(p) = stage.activation {
                layers.append(.reshape([1, p.channels, p.inputHeight, p.inputWidth]))
            }
            if let activation = stage.activation { layers.append(activation) }
        }
        do {
            return try Network(inputShape: inputShape, layers: layers, inputClamp: clamp)
        } catch let error as NetworkError {
            throw error
        } catch {
            preconditionFailure("Network.init throws only NetworkError, got \(error)")
        }
    }
}
