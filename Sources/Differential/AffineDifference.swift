import Network
import Tensor

/// The difference rule of an affine layer (dense, convolution, elementwise): for `y_f = W_f z_f + b_f` and `y_g = W_g z_g + b_g` with
/// `z_g = z_f + δ`,
///
///     y_g − y_f = W_g·δ + (W_g − W_f)·z_f + (b_g − b_f)        (1)
///               = W_f·δ + (W_g − W_f)·z_g + (b_g − b_f)        (2)
///
/// (substitute `z_g = z_f + δ`, resp. `z_f = z_g − δ`). Both are evaluated with interval arithmetic over the
/// intervals of `δ`, `z_f`, `z_g` and intersected. Zero terms are skipped (``IntervalSum``), so identical
/// parameters with `δ = [0, 0]` give exactly `[0, 0]`, and a bias change alone gives exactly `b_g − b_f` when
/// that subtraction is exact.
enum AffineDifference {
    /// `δ'` of a dense layer from `δ`, `z_f` (`inputF`) and `z_g` (`inputG`).
    static func dense(
        _ f: Dense, _ g: Dense, delta: Box, inputF: Box, inputG: Box, margins: SoundnessMargins
    ) -> Box {
        let n = g.weights.rows, m = g.weights.columns
        var result = Box(lower: [Double](repeating: 0, count: n), upper: [Double](repeating: 0, count: n))
        f.weights.storage.withUnsafeBufferPointer { wf in
            g.weights.storage.withUnsafeBufferPointer { wg in
                for i in 0..<n {
                    var first = IntervalSum(), second = IntervalSum()
                    for j in 0..<m {
                        addTerm(&first, &second, f: wf[i * m + j], g: wg[i * m + j], at: j, delta, inputF, inputG)
                    }
                    first.addDifference(g.bias[i], f.bias[i])
                    second.addDifference(g.bias[i], f.bias[i])
                    (result.lower[i], result.upper[i]) = intersection(first, second, margins)
                }
            }
        }
        return result
    }

    /// `δ'` of a convolution (the same geometry in both networks): (1) and (2) tap by tap, one interval sum per
    /// output, exactly as a dense layer whose rows hold each output's taps.
    static func convolution(
        _ f: Conv2D, _ g: Conv2D, delta: Box, inputF: Box, inputG: Box, margins: SoundnessMargins
    ) -> Box {
        let n = g.outputCount
        var first = [IntervalSum](repeating: IntervalSum(), count: n), second = first
        f.weights.withUnsafeBufferPointer { wf in
            g.weights.withUnsafeBufferPointer { wg in
                g.forEachTap { out, input, w in
                    addTerm(&first[out], &second[out], f: wf[w], g: wg[w], at: input, delta, inputF, inputG)
                }
            }
        }
        let biasF = f.expandedBias, biasG = g.expandedBias
        var result = Box(lower: [Double](repeating: 0, count: n), upper: [Double](repeating: 0, count: n))
        for i in 0..<n {
            first[i].addDifference(biasG[i], biasF[i])
            second[i].addDifference(biasG[i], biasF[i])
            (result.lower[i], result.upper[i]) = intersection(first[i], second[i], margins)
        }
        return result
    }

    /// `δ'` of an elementwise affine layer: (1) and (2) with diagonal `W`.
    static func elementwise(
        _ f: ElementwiseAffine, _ g: ElementwiseAffine, delta: Box, inputF: Box, inputG: Box,
        margins: SoundnessMargins
    ) -> Box {
        var result = delta
        for i in 0..<g.scale.count {
            var first = IntervalSum(), second = IntervalSum()
            addTerm(&first, &second, f: f.scale[i], g: g.scale[i], at: i, delta, inputF, inputG)
            first.addDifference(g.shift[i], f.shift[i])
            second.addDifference(g.shift[i], f.shift[i])
            (result.lower[i], result.upper[i]) = intersection(first, second, margins)
        }
        return result
    }

    /// Adds one input's terms to both enclosures: `w_g·δ_j + (w_g − w_f)·z_f,j` to (1) and `w_f·δ_j + (w_g − w_f)·z_g,j`
    /// to (2); the weight-difference terms only where the weights differ, so identical weights add exact zeros.
    private static func addTerm(
        _ first: inout IntervalSum, _ second: inout IntervalSum, f a: Double, g b: Double, at j: Int, _ delta: Box,
        _ inputF: Box, _ inputG: Box
    ) {
        first.add(weight: b, lower: delta.lower[j], upper: delta.upper[j])
        second.add(weight: a, lower: delta.lower[j], upper: delta.upper[j])
        guard a != b else { return }
        first.add(weight: b - a, lower: inputF.lower[j], upper: inputF.upper[j])
        second.add(weight: b - a, lower: inputG.lower[j], upper: inputG.upper[j])
    }

    /// The intersection of two sound enclosures of the same quantity.
    private static func intersection(
        _ a: IntervalSum, _ b: IntervalSum, _ margins: SoundnessMargins
    ) -> (Double, Double) {
        let x = a.bounds(margins: margins), y = b.bounds(margins: margins)
        return (max(x.lower, y.lower), min(x.upper, y.upper))
    }
}
