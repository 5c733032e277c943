public import Network
public import Tensor

/// The attacked lower bound of `max |g(x)_i − f(x)_i|` over a box: random sampling (half uniform, half on the
/// box's faces), then projected sign-gradient ascent (PGD, Madry et al. 2018) on `±(g_i − f_i)` from the best
/// sample of each output and sign, with steps scaled to the box's widths and halved as they stall.
///
/// Every value reported is `|g(x)_i − f(x)_i|` from the two networks' real Float64 forward passes at the
/// reported point `x`, which lies in the box: an honest lower bound of the true maximum, against which the
/// certified upper bound is judged.
public struct DifferenceAttack: Sendable, Hashable {
    /// Random points evaluated before the ascent.
    public var samples: Int
    /// Gradient steps per output and sign.
    public var steps: Int
    /// Seed of the sampling.
    public var seed: UInt64

    /// An attack with `samples` random points and `steps` PGD steps per output and sign.
    public init(samples: Int = 512, steps: Int = 60, seed: UInt64 = 0) {
        self.samples = samples
        self.steps = steps
        self.seed = seed
    }

    /// The best point found per output.
    public struct Result: Sendable, Hashable {
        /// `|g(x)_i − f(x)_i|` at ``inputs``[i], in Float64.
        public var values: [Double]
        /// The input reaching ``values``[i], inside the box.
        public var inputs: [[Double]]

        /// The largest value over the outputs (0 when there are none).
        public var worst: Double { values.max() ?? 0 }
    }

    /// Runs the attack on `g − f` over `box` (the networks must have the box's input dimension and one output
    /// count).
    public func run(original f: Network, compressed g: Network, over box: Box) -> Result {
        precondition(f.inputCount == box.dimension && g.inputCount == box.dimension && f.outputCount == g.outputCount)
        let outputs = f.outputCount
        var rng = SplitMix64(seed: seed)
        // best[i][0]: largest g_i − f_i, best[i][1]: largest f_i − g_i.
        var best = [[(value: Double, x: [Double])]](
            repeating: [(-.infinity, box.center), (-.infinity, box.center)], count: outputs)
        for k in 0..<(samples + 1) {
            let x = k == 0 ? box.center : sample(box, onFace: k % 2 == 0, &rng)
            record(x, f, g, &best)
        }
        for i in 0..<outputs {
            for side in 0..<2 {
                let x = ascend(from: best[i][side].x, output: i, sign: side == 0 ? 1 : -1, f, g, box)
                record(x, f, g, &best)
            }
        }
        var result = Result(values: [], inputs: [])
        for i in 0..<outputs {
            let side = best[i][0].value >= best[i][1].value ? 0 : 1
            result.values.append(max(0, best[i][side].value))
            result.inputs.append(best[i][side].x)
        }
        return result
    }

    /// Improves `result` from inside `leaf` (a sub-box of the attacked box): the leaf's centre for every output,
    /// then PGD on output `output` from there, on the side `sign` (+1: `g − f`, −1: `f − g`), with steps scaled
    /// to the leaf. The refinement calls this on every leaf it splits, so the attack follows the bound to the
    /// region where it is worst.
    public func probe(
        _ result: inout Result, original f: Network, compressed g: Network, in leaf: Box, output: Int, sign: Double
    ) {
        let x = ascend(from: leaf.center, output: output, sign: sign, f, g, leaf)
        for point in [leaf.center, x] {
            let yf = f.evaluate(point), yg = g.evaluate(point)
            for i in result.values.indices where abs(yg[i] - yf[i]) > result.values[i] {
                result.values[i] = abs(yg[i] - yf[i])
                result.inputs[i] = point
            }
        }
    }

    /// Keeps `x` where it beats an output's best on either sign.
    private func record(_ x: [Double], _ f: Network, _ g: Network, _ best: inout [[(value: Double, x: [Double])]]) {
        let yf = f.evaluate(x), yg = g.evaluate(x)
        for i in best.indices {
            let d = yg[i] - yf[i]
            if d > best[i][0].value { best[i][0] = (d, x) }
            if -d > best[i][1].value { best[i][1] = (-d, x) }
        }
    }

    /// PGD on `sign·(g_i − f_i)` from `start`; returns the best point visited.
    private func ascend(from start: [Double], output i: Int, sign: Double, _ f: Network, _ g: Network, _ box: Box)
        -> [Double]
    {
        var weights = [Double](repeating: 0, count: f.outputCount)
        weights[i] = sign
        let widths = box.widths
        var x = start, bestX = start, bestValue = -Double.infinity, step = 0.25
        for _ in 0..<max(1, steps) {
            let (yg, gg) = g.valueAndGradient(at: x, outputWeights: weights)
            let (yf, gf) = f.valueAndGradient(at: x, outputWeights: weights)
            let value = sign * (yg[i] - yf[i])
            if value > bestValue { bestValue = value; bestX = x } else { step /= 2 }
            if step < 1e-6 { break }
            x = box.clamped((0..<x.count).map { j in
                let d = gg[j] - gf[j]
                return x[j] + (d > 0 ? 1 : d < 0 ? -1 : 0) * step * widths[j]
            })
        }
        return bestX
    }

    /// A uniform point of `box`, or (`onFace`) one with each coordinate at a face with probability 1/2.
    private func sample(_ box: Box, onFace: Bool, _ rng: inout SplitMix64) -> [Double] {
        (0..<box.dimension).map { j in
            let u = Double(rng.next() >> 11) * 0x1p-53
            if onFace, u < 0.5 { return u < 0.25 ? box.lower[j] : box.upper[j] }
            return box.lower[j] + (box.upper[j] - box.lower[j]) * (onFace ? Double(rng.next() >> 11) * 0x1p-53 : u)
        }
    }
}
