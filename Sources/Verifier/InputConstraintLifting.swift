import Network
import Tensor
import VNNLib

/// Linear input constraints beyond a box (`0.5·X[0] + 0.75·X[1] ≥ 3`, VNN-LIB 2's LIN theory) and comparisons
/// mixing inputs and outputs (`Y[0] ≥ X[0] + 0.5`) as output constraints: the network is verified as
/// `x ↦ [f(x); x]` (``Network/sideBySide(_:inputCount:inputs:)`` of `f` and the identity), each input constraint
/// becomes a row over the appended copy of `x` in every disjunct, and each mixed row one over `[f(x); x]`. A
/// query's hidden nodes (tensors the importer kept as outputs of a prefix of `f`'s layers) sit between the two:
/// `x ↦ [f(x); h(x); x]`, matching VNNLib's rows over `[y; h; x]`.
///
/// Exact: a disjunct of the lifted problem is reached exactly when the input satisfies the constraints and `f`'s
/// output reaches the original disjunct, and the copy of `x` is computed without rounding (identity weights,
/// `relu(y) − relu(−y)` padding), so a witness's forward passes confirm the input constraints too. The original
/// model's replay gets the input appended (``AppendingInput``); counterexamples are reported with `f`'s outputs
/// only (``VerificationProblem/reportedOutputCount``).
struct InputConstraintLifting {
    /// `x ↦ [f(x); h(x); x]`.
    let network: Network
    /// `f`'s output count.
    let outputCount: Int
    /// The number of hidden-node values `h(x)` (0 without hidden nodes).
    let hiddenCount: Int

    /// The lifting of `f`, with the outputs of its first `hiddenLayers[k]` layers (a query's hidden nodes, in
    /// order) between `f(x)` and `x`; ``VerifierError/unsupportedQuery(_:)`` when the side-by-side network cannot
    /// be built (max pooling, a non-ReLU activation, a product too large).
    init(_ f: Network, hiddenLayers: [Int] = []) throws(VerifierError) {
        let n = f.inputCount
        var identity = Matrix(rows: n, columns: n)
        for i in 0..<n { identity[i, i] = 1 }
        do {
            let copy = try Network(inputShape: [1, n], layers: [.dense(Dense(weights: identity, bias: Array(repeating: 0, count: n)))])
            let prefixes = try hiddenLayers.map { k in
                k == 0 ? copy : try Network(inputShape: f.inputShape, layers: Array(f.layers.prefix(k)), inputClamp: f.inputClamp)
            }
            let parts = [f] + prefixes + [copy]
            network = try Network.sideBySide(parts, inputCount: n, inputs: parts.map { _ in Array(0..<n) })
            hiddenCount = prefixes.reduce(0) { $0 + $1.outputCount }
        } catch {
            throw .unsupportedQuery(
                "the query constrains inputs beyond a box (linear constraints over several inputs), compares "
                    + "inputs with outputs or asserts on hidden nodes, which nncert verifies on the network "
                    + "x ↦ [f(x); h(x); x]; it cannot be built for this network: \(error)")
        }
        outputCount = f.outputCount
    }

    /// `region` over `[f(x); h(x); x]`: its rows with zero coefficients on `h` and the copy of `x`, one row per
    /// input constraint, and the `mixed` rows (already over `[y; h; x]`, VNNLib's ``PropertyCase/mixedConstraints``).
    func region(_ region: OutputPolytope, adding constraints: [LinearConstraint], mixed: [LinearConstraint] = [])
        -> OutputPolytope
    {
        let width = network.outputCount, inputsAt = outputCount + hiddenCount
        var rows: [LinearConstraint] = (0..<region.coefficients.rows).map { r in
            LinearConstraint(coefficients: region.coefficients.row(r) + Array(repeating: 0, count: width - outputCount),
                             bound: region.bounds[r], isStrict: region.isStrict[r])
        }
        rows += constraints.map { c in
            var coefficients = Array(repeating: 0.0, count: width)
            for i in 0..<min(width - inputsAt, c.coefficients.count) { coefficients[inputsAt + i] = c.coefficients[i] }
            return LinearConstraint(coefficients: coefficients, bound: c.bound, isStrict: c.isStrict)
        }
        rows += mixed
        return OutputPolytope(rows: rows, outputCount: width)
    }

    /// The stored model's replay with its tapped tensors (the hidden nodes) and the (Float32) input appended to
    /// its outputs, as the lifted network has them.
    struct AppendingInput: ReferenceEvaluator {
        let base: any ReferenceEvaluator
        func evaluate(_ input: [Float]) -> [Float]? { base.evaluateWithTaps(input).map { $0 + input } }
    }
}
