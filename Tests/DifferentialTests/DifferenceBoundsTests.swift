import Differential
import Network
import Tensor
import Testing

@Suite struct DifferenceBoundsTests {
    /// `g = f`: every δ is exactly `[0, 0]` (zero terms are skipped, never widened).
    @Test(arguments: 0..<20 as Range<UInt64>)
    func identicalNetworksGiveExactlyZero(seed: UInt64) throws {
        let f = try DifferencePairs.mlp(seed: seed)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.5, seed: seed)
        let d = try DifferenceBounds.compute(original: f, compressed: f, over: box)
        #expect(d.lower.allSatisfy { $0 == 0 } && d.upper.allSatisfy { $0 == 0 })
        #expect(d.maxAbsolute.allSatisfy { $0 == 0 })
    }

    /// `g = f` with the output bias moved by `b`: lower = upper = `b` exactly. (The output biases are first
    /// rounded to multiples of 2⁻¹⁰ so that `b_g − b_f` is exactly `b` in Float64; when that subtraction rounds,
    /// the bound is rightly widened.)
    @Test(arguments: 0..<20 as Range<UInt64>)
    func outputBiasShiftGivesExactlyTheShift(seed: UInt64) throws {
        let f = try DifferencePairs.mappingLastBias(DifferencePairs.mlp(seed: seed)) { ($0 * 1024).rounded() / 1024 }
        let shift = seed % 2 == 0 ? 0.25 : -0.375
        let g = try DifferencePairs.mappingLastBias(f) { $0 + shift }
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.5, seed: seed)
        let d = try DifferenceBounds.compute(original: f, compressed: g, over: box)
        let b = [Double](repeating: shift, count: f.outputCount)
        #expect(d.lower == b && d.upper == b)
        #expect(d.maxAbsolute == b.map(abs))
    }

    /// 50 seeded pairs (pruned, quantised, both, perturbed), 200 sampled inputs each: `g(x) − f(x)` is always
    /// inside the certified bounds; and the bound is at least as tight as the naive one everywhere, strictly
    /// tighter in `max |g − f|` on most pairs.
    @Test func soundAndTighterThanNaiveOnRandomPairs() throws {
        var tighter = 0, certifiedSum = 0.0, naiveSum = 0.0
        for seed in 0..<50 as Range<UInt64> {
            let f = try DifferencePairs.mlp(seed: seed)
            let g = try DifferencePairs.compressed(f, seed: seed)
            let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.25, seed: seed)
            let d = try DifferenceBounds.compute(original: f, compressed: g, over: box)
            DifferencePairs.expectDifferenceWithin(
                lower: d.lower, upper: d.upper, f: f, g: g, box: box, samples: 200, seed: seed &+ 5, slack: 1e-12,
                "seed \(seed)")
            for i in d.lower.indices {
                #expect(d.lower[i] >= d.naiveLower[i] && d.upper[i] <= d.naiveUpper[i], "seed \(seed)")
            }
            let certified = d.maxAbsolute.max() ?? 0, naive = d.naiveMaxAbsolute.max() ?? 0
            certifiedSum += certified
            naiveSum += naive
            if certified < naive { tighter += 1 }
        }
        #expect(tighter >= 40, "tighter on \(tighter) of 50 pairs")
        print("difference bounds: tighter on \(tighter)/50, Σ max|g−f| certified \(certifiedSum), naive \(naiveSum)")
        #expect(certifiedSum < 0.6 * naiveSum, "certified Σ \(certifiedSum), naive Σ \(naiveSum)")
    }

    /// Different widths, kinds, layer counts or unsupported layers are refused.
    @Test func structureMismatchThrows() throws {
        let f = try DifferencePairs.mlp(seed: 1)
        let box = DifferencePairs.box(dimension: f.inputCount, radius: 0.5, seed: 1)
        let shorter = try Network(inputShape: f.inputShape, layers: Array(f.layers.prefix(1)))
        #expect {
            try DifferenceBounds.compute(original: f, compressed: shorter, over: box)
        } throws: { error in
            if case .structureMismatch = error as? DifferentialError { true } else { false }
        }
        var kinds = f.layers
        kinds[1] = .tanh
        let other = try Network(inputShape: f.inputShape, layers: kinds)
        #expect(throws: DifferentialError.structureMismatch(layer: 1, reason: "ReLU and Tanh")) {
            try DifferenceBounds.compute(original: f, compressed: other, over: box)
        }
        #expect(throws: DifferentialError.unsupportedLayer(layer: 1, kind: "Tanh")) {
            try DifferenceBounds.compute(original: other, compressed: other, over: box)
        }
        #expect(throws: DifferentialError.inputDimension(expected: f.inputCount, found: 1)) {
            try DifferenceBounds.compute(original: f, compressed: f, over: Box(point: [0]))
        }
    }
}

@Suite struct DifferenceBisectionTests {
    /// With 16 bisections the bound is still sound on 200 samples, never looser than the unsplit one, and on a
    /// wide box strictly tighter on most pairs; `g = f` stays exactly 0.
    @Test func bisectionIsSoundAndTightens() throws {
        var tighter = 0
        for seed in 0..<20 as Range<UInt64> {
            let f = try DifferencePairs.mlp(seed: seed)
            let g = try DifferencePairs.compressed(f, seed: seed)
            let box = DifferencePairs.box(dimension: f.inputCount, radius: 1, seed: seed)
            let plain = try DifferenceBounds.compute(original: f, compressed: g, over: box)
            let split = try DifferenceBounds.compute(original: f, compressed: g, over: box, splits: 16)
            DifferencePairs.expectDifferenceWithin(
                lower: split.lower, upper: split.upper, f: f, g: g, box: box, samples: 200, seed: seed &+ 9,
                "seed \(seed)")
            for i in plain.lower.indices { #expect(split.lower[i] >= plain.lower[i] && split.upper[i] <= plain.upper[i]) }
            if (split.maxAbsolute.max() ?? 0) < (plain.maxAbsolute.max() ?? 0) { tighter += 1 }
            let same = try DifferenceBounds.compute(original: f, compressed: f, over: box, splits: 4)
            #expect(same.maxAbsolute.allSatisfy { $0 == 0 })
        }
        #expect(tighter >= 15, "tighter on \(tighter) of 20")
    }
}
