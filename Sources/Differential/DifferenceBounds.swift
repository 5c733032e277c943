public import Network
public import Tensor
import Bounds

/// Certified bounds on `g(x) − f(x)` per output over an input box, for a network `f` and a copy `g` of the same
/// layer structure (pruned, quantised, fine-tuned): every `x` in the box has
/// `lower[i] ≤ g(x)_i − f(x)_i ≤ upper[i]` in real arithmetic.
///
/// Computed by difference propagation: CROWN bounds of every tensor of each network separately
/// (``BoundPropagator/intermediateBounds(over:splits:method:reusing:fromLayer:)``), and an interval of
/// `δ = z_g − z_f` per neuron pushed layer by layer (ReluDiff: ``AffineDifference``, ``ReLUDifference``), each
/// step intersected with the naive interval `[l_g − u_f, u_g − l_f]` and, at every ReLU input and the output,
/// with the symbolic bound of ``SymbolicDifference`` (NeuroDiff-style back-substitution over `(x_f, δ)`).
/// Input and ReLU splitting within a budget: ``compute(original:compressed:over:budget:margins:)``.
public struct DifferenceBounds: Sendable, Hashable {
    /// Lower bound of `g(x)_i − f(x)_i` per output.
    public var lower: [Double]
    /// Upper bound of `g(x)_i − f(x)_i` per output.
    public var upper: [Double]
    /// The naive bound from the two networks' output bounds alone, `l_g − u_f` per output (for comparison).
    public var naiveLower: [Double]
    /// The naive upper bound `u_g − l_f` per output.
    public var naiveUpper: [Double]

    /// A bound of `|g(x)_i − f(x)_i|` per output: `max(|lower|, |upper|)`.
    public var maxAbsolute: [Double] { zip(lower, upper).map { max(abs($0), abs($1)) } }
    /// The naive bound of `|g(x)_i − f(x)_i|` per output.
    public var naiveMaxAbsolute: [Double] { zip(naiveLower, naiveUpper).map { max(abs($0), abs($1)) } }

    /// Bounds from their parts.
    public init(lower: [Double], upper: [Double], naiveLower: [Double], naiveUpper: [Double]) {
        self.lower = lower
        self.upper = upper
        self.naiveLower = naiveLower
        self.naiveUpper = naiveUpper
    }

    /// Certified bounds of `g − f` over `box`, without input splitting. A `g` whose hidden dense layers or
    /// convolutions are narrower (structured pruning) is first widened by zero neurons and filters, and average
    /// pools become depthwise convolutions (``StructureAlignment``).
    /// - Throws: ``DifferentialError/structureMismatch(layer:reason:)`` when the networks differ in layer kinds
    ///   or shapes (or convolutions of another geometry), `.unsupportedLayer` for average pools that are not a
    ///   convolution (padding left out of the divisor), transposed convolutions, sigmoid and tanh,
    ///   `.inputDimension`, or `.bounds`.
    public static func compute(
        original f: Network, compressed g: Network, over box: Box, margins: SoundnessMargins = SoundnessMargins()
    ) throws(DifferentialError) -> DifferenceBounds {
        let (f, g) = try StructureAlignment.aligned(original: f, compressed: g)
        return try leaf(original: f, compressed: g, over: box, margins: margins).bounds
    }

    /// The bounds over `box` and, per input coordinate, the smear `|a_j|·width_j` of the input coefficients `a`
    /// of the symbolic bound on the side of the output with the largest `|g − f|` bound (for the split choice):
    /// ``analyse(original:compressed:over:splits:margins:parent:split:symbolic:)`` without ReLU decisions.
    /// `symbolic: false` is the interval-only (ReluDiff) computation, kept for comparison in tests.
    static func leaf(
        original f: Network, compressed g: Network, over box: Box, margins: SoundnessMargins,
        symbolic useSymbolic: Bool = true
    ) throws(DifferentialError) -> (bounds: DifferenceBounds, smear: [Double]) {
        let a = try analyse(original: f, compressed: g, over: box, margins: margins, symbolic: useSymbolic)
        return (a.bounds, a.smear)
    }

    /// `x_g`'s bounds intersected with `x_f + δ` (widened for the addition's rounding).
    static func compressedInput(_ g: Box, _ f: Box, _ delta: Box, _ margins: SoundnessMargins) -> Box {
        var result = g
        for j in 0..<g.dimension {
            let lo = f.lower[j] + delta.lower[j], hi = f.upper[j] + delta.upper[j]
            let lw = margins.widening(abs(f.lower[j]) + abs(delta.lower[j]))
            let uw = margins.widening(abs(f.upper[j]) + abs(delta.upper[j]))
            if !(lo - lw).isNaN { result.lower[j] = max(result.lower[j], lo - lw) }
            if !(hi + uw).isNaN { result.upper[j] = min(result.upper[j], hi + uw) }
        }
        return result
    }

    /// `δ` after one layer.
    static func step(
        _ f: Layer, _ g: Layer, delta: Box, inputF: Box, inputG: Box, margins: SoundnessMargins
    ) -> Box {
        switch (f, g) {
        case let (.dense(a), .dense(b)):
            AffineDifference.dense(a, b, delta: delta, inputF: inputF, inputG: inputG, margins: margins)
        case let (.conv2d(a), .conv2d(b)):
            AffineDifference.convolution(a, b, delta: delta, inputF: inputF, inputG: inputG, margins: margins)
        case let (.elementwise(a), .elementwise(b)):
            AffineDifference.elementwise(a, b, delta: delta, inputF: inputF, inputG: inputG, margins: margins)
        case (.relu, .relu):
            ReLUDifference.apply(delta: delta, inputF: inputF, inputG: inputG, margins: margins)
        case let (.maxPool(pool), .maxPool):
            MaxPoolDifference(pool: pool, inputF: inputF, inputG: inputG, delta: delta).delta
        case (.reshape, .reshape):
            delta
        default:
            preconditionFailure(
                "StructureCheck admits only matching dense, convolution, elementwise, ReLU, max-pool and reshape layers")
        }
    }

    /// `[l_g − u_f, u_g − l_f]` widened for the subtraction's rounding (NaN read as unbounded).
    static func naiveDifference(_ f: Box, _ g: Box, _ margins: SoundnessMargins) -> Box {
        var result = g
        for i in 0..<g.dimension {
            let lo = g.lower[i] - f.upper[i], hi = g.upper[i] - f.lower[i]
            let lw = margins.widening(abs(g.lower[i]) + abs(f.upper[i]))
            let uw = margins.widening(abs(g.upper[i]) + abs(f.lower[i]))
            result.lower[i] = (lo - lw).isNaN ? -.infinity : lo - lw
            result.upper[i] = (hi + uw).isNaN ? .infinity : hi + uw
        }
        return result
    }

    /// The coordinate-wise intersection of two sound enclosures of the same vector.
    static func intersected(_ a: Box, _ b: Box) -> Box {
        var result = a
        for i in 0..<a.dimension {
            result.lower[i] = max(a.lower[i], b.lower[i])
            result.upper[i] = min(a.upper[i], b.upper[i])
        }
        return result
    }
}
