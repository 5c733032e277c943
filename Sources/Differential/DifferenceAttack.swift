public import Network
public import Tensor

/// The attacked lower bound of `max |g(x)_i − f(x)_i|` over a box, in three stages:
/// 1. random sampling (half uniform, half on the box's faces), the points evaluated in batches;
/// 2. projected sign-gradient ascent (PGD, Madry et al. 2018) on `±(g_i − f_i)` from the best sample of each
///    output and sign, with steps scaled to the box's widths and halved as they stall;
/// 3. a local random search (Gaussian moves around the best points, kept where they gain, the move size halved
///    every quarter of the rounds) for the output–sign pairs with the largest values. `g − f` of two ReLU
///    networks is piecewise linear with many local maxima, where gradient ascent stops at the first vertex it
///    meets; on ACAS Xu 5_9 against its 5%-pruned copy over property 1's box, sampling and PGD reach 0.0080 and
///    this search 0.0110 (docs/benchmarks.md). Its rounds are capped by ``searchMultiplyAdds``, so that it
///    costs the same order of time on every network.
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
    /// Points the local search moves, per searched output–sign pair (the best samples and the PGD end point).
    public var searchStarts = 128
    /// Rounds of the local search (at most; see ``searchMultiplyAdds``); 0: no local search.
    public var searchRounds = 100
    /// Moves tried from each point per round.
    public var searchCandidates = 8
    /// Output–sign pairs searched: those with the largest values after the ascent.
    public var searchedPairs = 2
    /// The local search's budget in multiply-adds of both networks' evaluations (``Network/multiplyAdds``):
    /// fewer rounds on larger networks (6·10⁹ allows all 100 on ACAS Xu's networks, about half a second here, and
    /// 10 on MNIST-FC 256x2's).
    public var searchMultiplyAdds = 6e9

    /// An attack with `samples` random points and `steps` PGD steps per output and sign, and the default local
    /// search.
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
        var rng = SplitMix64(seed: seed)
        var best = [Best](repeating: Best(value: -.infinity, x: box.center), count: 2 * f.outputCount)
        var points = Matrix(rows: samples + 1, columns: box.dimension)
        for k in 0...samples {
            let x = k == 0 ? box.center : sample(box, onFace: k % 2 == 0, &rng)
            for j in x.indices { points[k, j] = x[j] }
        }
        let differences = Self.differences(at: points, f, g)
        for k in 0..<points.rows { record(points.row(k), differences.row(k), &best) }
        for pair in best.indices {
            let x = ascend(from: best[pair].x, output: pair / 2, sign: Self.sign(pair), f, g, box)
            record(x, zip(g.evaluate(x), f.evaluate(x)).map { $0 - $1 }, &best)
        }
        let rounds = searchRounds(f, g)
        for pair in rounds > 0 ? searchedPairs(best) : [] {
            let starts = startRows(for: pair, points: points, differences: differences).map { points.row($0) }
            let x = search(
                from: [best[pair].x] + starts, output: pair / 2, sign: Self.sign(pair), rounds: rounds, f, g, box, &rng)
            record(x, zip(g.evaluate(x), f.evaluate(x)).map { $0 - $1 }, &best)
        }
        var result = Result(values: [], inputs: [])
        for i in 0..<f.outputCount {
            let x = best[2 * i].value >= best[2 * i + 1].value ? best[2 * i].x : best[2 * i + 1].x
            result.values.append(abs(g.evaluate(x)[i] - f.evaluate(x)[i]))
            result.inputs.append(x)
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

    /// The best point of one output and sign: pair `2i` is `g_i − f_i`, pair `2i + 1` is `f_i − g_i`.
    private struct Best {
        var value: Double
        var x: [Double]
    }

    private static func sign(_ pair: Int) -> Double { pair % 2 == 0 ? 1 : -1 }

    /// `g − f` at every row of `points`, evaluated ``batchRows`` rows at a time.
    private static func differences(at points: Matrix, _ f: Network, _ g: Network) -> Matrix {
        var d = Matrix(rows: points.rows, columns: f.outputCount)
        for first in stride(from: 0, to: points.rows, by: batchRows) {
            let count = min(batchRows, points.rows - first)
            let batch = Matrix(
                rows: count, columns: points.columns,
                storage: Array(points.storage[(first * points.columns)..<((first + count) * points.columns)]))
            let yg = g.evaluate(rows: batch), yf = f.evaluate(rows: batch)
            for k in yg.storage.indices { d.storage[first * d.columns + k] = yg.storage[k] - yf.storage[k] }
        }
        return d
    }

    /// Rows per batched evaluation: large enough for BLAS to run at speed, small enough that a convolutional
    /// network's activations stay a few tens of megabytes.
    private static let batchRows = 256

    /// Keeps `x`, where `g − f` is `d`, where it beats an output's best on either sign.
    private func record(_ x: [Double], _ d: [Double], _ best: inout [Best]) {
        for i in d.indices {
            if d[i] > best[2 * i].value { best[2 * i] = Best(value: d[i], x: x) }
            if -d[i] > best[2 * i + 1].value { best[2 * i + 1] = Best(value: -d[i], x: x) }
        }
    }

    /// Rounds of the local search on `f` and `g` within ``searchMultiplyAdds`` (0: none).
    private func searchRounds(_ f: Network, _ g: Network) -> Int {
        guard searchRounds > 0, searchStarts > 0, searchCandidates > 0, searchedPairs > 0 else { return 0 }
        let round = Double(max(1, f.multiplyAdds + g.multiplyAdds) * searchStarts * searchCandidates)
        return min(searchRounds, Int(searchMultiplyAdds / round))
    }

    /// The ``searchedPairs`` pairs with the largest values.
    private func searchedPairs(_ best: [Best]) -> [Int] {
        Array(best.indices.sorted { best[$0].value > best[$1].value }.prefix(searchedPairs))
    }

    /// The rows of the ``searchStarts`` − 1 samples with the largest values of `pair`.
    private func startRows(for pair: Int, points: Matrix, differences: Matrix) -> [Int] {
        let sign = Self.sign(pair)
        let values = (0..<points.rows).map { sign * differences[$0, pair / 2] }
        return Array(values.indices.sorted { values[$0] > values[$1] }.prefix(max(0, searchStarts - 1)))
    }

    /// The local search on `sign·(g_i − f_i)` from `starts`; returns the best point reached.
    private func search(
        from starts: [[Double]], output i: Int, sign: Double, rounds: Int, _ f: Network, _ g: Network, _ box: Box,
        _ rng: inout SplitMix64
    ) -> [Double] {
        var points = starts
        let startValues = Self.differences(at: Matrix(starts), f, g)
        var values = (0..<starts.count).map { sign * startValues[$0, i] }
        let widths = box.widths, n = box.dimension
        var scale = 0.05
        for round in 0..<rounds {
            if round > 0, round % max(1, rounds / 4) == 0 { scale /= 2 }
            var moves = Matrix(rows: points.count * searchCandidates, columns: n)
            for (s, x) in points.enumerated() {
                for c in 0..<searchCandidates {
                    for j in 0..<n {
                        let moved = x[j] + scale * widths[j] * rng.nextGaussian()
                        moves[s * searchCandidates + c, j] = min(max(moved, box.lower[j]), box.upper[j])
                    }
                }
            }
            let d = Self.differences(at: moves, f, g)
            for s in points.indices {
                for c in 0..<searchCandidates where sign * d[s * searchCandidates + c, i] > values[s] {
                    values[s] = sign * d[s * searchCandidates + c, i]
                    points[s] = moves.row(s * searchCandidates + c)
                }
            }
        }
        return points[values.indices.max { values[$0] < values[$1] }!]
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
