import Network
import Tensor

extension Comparator {
    /// The largest `|g_i − f_i|` per output over the box's corners, centre and seeded random samples (Float64
    /// forward passes), with the input reaching each: a lower bound on the true maximum.
    func attackedDifference(_ f: Network, _ g: Network, over box: Box) -> (values: [Double], inputs: [[Double]]) {
        var values = [Double](repeating: 0, count: f.outputCount)
        var inputs = [[Double]](repeating: box.lower, count: f.outputCount)
        var random = SplitMix64(seed: options.verification.search.seed)
        for _ in 0..<256 {
            let x = (0..<box.dimension).map { j -> Double in
                let t = Double(random.next() >> 11) * 0x1p-53
                return box.lower[j] + (box.upper[j] - box.lower[j]) * t
            }
            let y = f.evaluate(x), z = g.evaluate(x)
            for i in values.indices where abs(z[i] - y[i]) > values[i] {
                values[i] = abs(z[i] - y[i])
                inputs[i] = x
            }
        }
        return (values, inputs)
    }
}
