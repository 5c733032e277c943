import Bounds
import LinearProgramming
import Network
import Tensor
import VNNLib

/// The exact reference for the differential test: the big-M MILP encoding of a ReLU network (dense layers,
/// convolutions as their dense equivalents, max pools)
/// (Tjeng, Xiao & Tedrake 2019) solved by GLPK's branch and cut, with interval bounds computed here
/// independently of the Bounds module.
enum ExactMILP {
    /// `min_x max_i (c_i·f(x) − d_i)` over the box: the region is reachable iff the value is ≤ 0.
    /// With `splits`, over the part of the box where each split neuron's pre-activation has its sign (≥ 0 when
    /// active, ≤ 0 when not).
    static func minimumMargin(
        network: Network, box: Box, region: OutputPolytope, splits: SplitSet = SplitSet()
    ) throws -> Double? {
        var model = LPModel(direction: .minimize)
        let inputs = (0..<box.dimension).map { model.addColumn(lower: box.lower[$0], upper: box.upper[$0]) }
        var binaries: [Int] = []
        guard let current = encode(network, inputs: inputs, lower: box.lower, upper: box.upper, into: &model,
                                   binaries: &binaries, splits: splits)
        else { return nil }
        let t = model.addColumn(lower: -1e6, upper: 1e6)
        for i in 0..<region.rowCount {
            var terms = (0..<current.count).compactMap { k -> LPTerm? in
                let c = region.coefficients[i, k]
                return c == 0 ? nil : LPTerm(column: current[k], coefficient: c)
            }
            terms.append(LPTerm(column: t, coefficient: -1))
            _ = model.addRow(LPModel.Row(terms: terms, upper: region.bounds[i]))
        }
        model.objective = [Double](repeating: 0, count: model.columns.count)
        model.objective[t] = 1
        let solver = try LPSolver(model)
        switch try solver.solveInteger(integerColumns: [], binaryColumns: binaries) {
        case let .optimal(solution): return solution.objective
        default: return nil
        }
    }

    /// `max_z Σ coefficient · f_k(z[inputs_k])[output]` over `box`: several networks, network `k` reading the
    /// coordinates `inputs_k` of one shared input (repeat a coordinate in two selections to tie two inputs).
    /// `inputConstraints` (`a·z ≤ b`) further restrict the shared input.
    static func maximum(
        box: Box, networks: [(network: Network, inputs: [Int])],
        objective: [(network: Int, output: Int, coefficient: Double)], inputConstraints: [LinearConstraint] = []
    ) throws -> Double? {
        var model = LPModel(direction: .maximize)
        let columns = (0..<box.dimension).map { model.addColumn(lower: box.lower[$0], upper: box.upper[$0]) }
        for c in inputConstraints {
            let terms = c.coefficients.indices.map { LPTerm(column: columns[$0], coefficient: c.coefficients[$0]) }
            _ = model.addRow(LPModel.Row(terms: terms, upper: c.bound))
        }
        var binaries: [Int] = []
        var outputs: [[Int]] = []
        for (network, selection) in networks {
            guard let out = encode(
                network, inputs: selection.map { columns[$0] }, lower: selection.map { box.lower[$0] },
                upper: selection.map { box.upper[$0] }, into: &model, binaries: &binaries)
            else { return nil }
            outputs.append(out)
        }
        model.objective = [Double](repeating: 0, count: model.columns.count)
        for term in objective { model.objective[outputs[term.network][term.output]] += term.coefficient }
        let solver = try LPSolver(model)
        switch try solver.solveInteger(integerColumns: [], binaryColumns: binaries) {
        case let .optimal(solution): return solution.objective
        default: return nil
        }
    }

    /// Adds the big-M encoding of `network` reading the columns `inputs` (interval bounds `lower`, `upper`) to
    /// `model`; returns the output columns, or nil for a layer other than dense, convolution, ReLU, max pooling and reshape.
    /// `splits` (keyed by the ReLU layer's index in `network.layers`) add the sign rows of their pre-activations.
    static func encode(
        _ network: Network, inputs: [Int], lower: [Double], upper: [Double], into model: inout LPModel,
        binaries: inout [Int], splits: SplitSet = SplitSet()
    ) -> [Int]? {
        var current = inputs
        var lo = lower, hi = upper
        for (index, layer) in network.layers.enumerated() {
            if layer == .relu {
                for k in current.indices {
                    guard let active = splits.state(layer: index, neuron: k) else { continue }
                    let sign = LPTerm(column: current[k], coefficient: 1)
                    _ = model.addRow(active ? LPModel.Row(terms: [sign], lower: 0) : LPModel.Row(terms: [sign], upper: 0))
                }
            }
            switch layer {
            case .dense, .conv2d:
                let d = layer.denseEquivalent!
                var out: [Int] = []
                var nlo: [Double] = [], nhi: [Double] = []
                for r in 0..<d.weights.rows {
                    var a = d.bias[r], b = d.bias[r]
                    var terms: [LPTerm] = []
                    for c in 0..<d.weights.columns {
                        let w = d.weights[r, c]
                        guard w != 0 else { continue }
                        a += w > 0 ? w * lo[c] : w * hi[c]
                        b += w > 0 ? w * hi[c] : w * lo[c]
                        terms.append(LPTerm(column: current[c], coefficient: w))
                    }
                    // Widen the interval slightly: it only serves as big-M constants.
                    let pad = 1e-7 * (1 + abs(a) + abs(b))
                    let v = model.addColumn(lower: a - pad, upper: b + pad)
                    terms.append(LPTerm(column: v, coefficient: -1))
                    _ = model.addRow(LPModel.Row(terms: terms, lower: -d.bias[r], upper: -d.bias[r]))
                    out.append(v)
                    nlo.append(a - pad)
                    nhi.append(b + pad)
                }
                current = out
                lo = nlo
                hi = nhi
            case .relu:
                var out: [Int] = []
                for k in 0..<current.count {
                    let l = lo[k], u = hi[k]
                    if l >= 0 {
                        out.append(current[k])
                        continue
                    }
                    let z = model.addColumn(lower: 0, upper: Swift.max(u, 0))
                    if u <= 0 {
                        out.append(z)
                        lo[k] = 0
                        hi[k] = 0
                        model.columns[z].upper = 0
                        continue
                    }
                    let a = model.addColumn(lower: 0, upper: 1)
                    binaries.append(a)
                    let v = current[k]
                    // z ≥ v; z ≤ v − l(1 − a); z ≤ u·a
                    _ = model.addRow(LPModel.Row(terms: [LPTerm(column: z, coefficient: 1), LPTerm(column: v, coefficient: -1)], lower: 0))
                    _ = model.addRow(LPModel.Row(terms: [LPTerm(column: z, coefficient: 1), LPTerm(column: v, coefficient: -1),
                                                         LPTerm(column: a, coefficient: -l)], upper: -l))
                    _ = model.addRow(LPModel.Row(terms: [LPTerm(column: z, coefficient: 1), LPTerm(column: a, coefficient: -u)], upper: 0))
                    out.append(z)
                    lo[k] = 0
                }
                current = out
            case let .maxPool(pool):
                (current, lo, hi) = encodeMaxPool(pool, current, lo, hi, into: &model, binaries: &binaries)
            case .reshape:
                break
            default:
                return nil
            }
        }
        return current
    }

    /// Each window's maximum `y = max_i x_i`, exactly: `y ≥ x_i` for every element, and one binary `a_i` per
    /// element that can be the maximum (`u_i ≥ max_j l_j`), `Σ a_i = 1`, `y ≤ x_i + (U − l_i)(1 − a_i)` with `U`
    /// the largest upper bound.
    private static func encodeMaxPool(
        _ pool: Pool2D, _ inputs: [Int], _ lo: [Double], _ hi: [Double], into model: inout LPModel, binaries: inout [Int]
    ) -> ([Int], [Double], [Double]) {
        var out: [Int] = [], nlo: [Double] = [], nhi: [Double] = []
        for o in 0..<pool.outputCount {
            let window = pool.window(of: o).indices
            let floor = window.map { lo[$0] }.max()!, top = window.map { hi[$0] }.max()!
            let candidates = window.filter { hi[$0] >= floor }
            let y = model.addColumn(lower: floor, upper: top)
            for i in window {
                _ = model.addRow(LPModel.Row(
                    terms: [LPTerm(column: y, coefficient: 1), LPTerm(column: inputs[i], coefficient: -1)], lower: 0))
            }
            var choice: [LPTerm] = []
            for i in candidates {
                let a = model.addColumn(lower: 0, upper: 1)
                binaries.append(a)
                choice.append(LPTerm(column: a, coefficient: 1))
                // y − x_i + (U − l_i) a_i ≤ U − l_i
                _ = model.addRow(LPModel.Row(
                    terms: [LPTerm(column: y, coefficient: 1), LPTerm(column: inputs[i], coefficient: -1),
                            LPTerm(column: a, coefficient: top - lo[i])], upper: top - lo[i]))
            }
            _ = model.addRow(LPModel.Row(terms: choice, lower: 1, upper: 1))
            out.append(y)
            nlo.append(floor)
            nhi.append(top)
        }
        return (out, nlo, nhi)
    }
}
