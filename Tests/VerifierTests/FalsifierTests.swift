import Network
import Tensor
import Testing
import VNNLib
@testable import Verifier

/// The falsifier on its own: PGD finds violations sampling misses, and nothing it returns is unconfirmed.
struct FalsifierTests {
    /// y = x₀ + x₁ − 1 on [0, 1]²: y ≥ t only in a corner triangle of area (1 − t)²/2.
    static let corner = try! Network(inputShape: [2], layers: [
        .dense(Dense(weights: Matrix(rows: 1, columns: 2, storage: [1, 1]), bias: [-1])),
    ])
    static let box = Box(lower: [0, 0], upper: [1, 1])

    /// `y ≥ t` as `−y ≤ −t`.
    static func atLeast(_ t: Double) -> OutputPolytope {
        OutputPolytope(coefficients: Matrix(rows: 1, columns: 1, storage: [-1]), bounds: [-t])
    }

    static func search(_ region: OutputPolytope, inputRegion: InputRegion? = nil, samples: Int) -> Counterexample? {
        var rng = SplitMix64(seed: 7)
        let falsifier = Falsifier(witness: WitnessCheck(network: corner), options: AttackOptions(steps: 60))
        return falsifier.search(
            box: box, inputRegion: inputRegion ?? InputRegion(closed: box), regions: [region], regionIndices: [0],
            caseIndex: 0, starts: [], samples: samples, restarts: 2, rng: &rng, deadline: .now + .seconds(10))
    }

    @Test func gradientDescentReachesACornerNoSampleHits() throws {
        // Without samples, PGD from the centre (y = 0) must climb to the corner triangle y ≥ 0.99.
        let cex = try #require(Self.search(Self.atLeast(0.99), samples: 0))
        #expect(cex.output[0] >= 0.99 && Self.box.contains(cex.input))
        #expect(Double(Float(cex.input[0])) == cex.input[0] && Double(Float(cex.input[1])) == cex.input[1])
    }

    /// An image classifier (1×6×6 pixels in [0, 1] → 3×3 blur and its negative, ReLU → 3 classes): class 0 scores
    /// 0.78, class 1 the mean blurred brightness (0.79 at the all-white image, at most ≈ 0.5 for a uniform
    /// sample), class 2 the mean of the negative blur (0 on this box). Class 1 overtakes class 0 only within a few
    /// percent of the white corner, which no sample reaches: PGD on class 1's margin does, in Float32 and
    /// Float64 (the witness check), and class 2's target stays unreached.
    @Test func targetedPGDFindsAnImageClassifiersAdversarialCorner() throws {
        let blur = Conv2D(inputChannels: 1, inputHeight: 6, inputWidth: 6, outputChannels: 2, kernelHeight: 3,
                          kernelWidth: 3, strideHeight: 1, strideWidth: 1, pads: [1, 1, 1, 1],
                          weights: [Double](repeating: 1.0 / 9, count: 9) + [Double](repeating: -1.0 / 9, count: 9),
                          bias: [0, 0])
        var head = Matrix(rows: 3, columns: 72)
        for j in 0..<36 { head[1, j] = 1.0 / 36; head[2, 36 + j] = 1.0 / 36 }
        let network = try Network(inputShape: [1, 1, 6, 6], layers: [
            .conv2d(blur), .relu, .reshape([1, 72]), .dense(Dense(weights: head, bias: [0.78, 0, 0])),
        ])
        let box = Box(lower: [Double](repeating: 0, count: 36), upper: [Double](repeating: 1, count: 36))
        // "class k ≥ class 0" as y₀ − y_k ≤ 0, one region per target class.
        let regions = [1, 2].map { k in
            var c = Matrix(rows: 1, columns: 3)
            c[0, 0] = 1
            c[0, k] = -1
            return OutputPolytope(coefficients: c, bounds: [0])
        }
        func search(restarts: Int, targets: [Int] = [0, 1]) -> Counterexample? {
            var rng = SplitMix64(seed: 3)
            let falsifier = Falsifier(witness: WitnessCheck(network: network), options: AttackOptions(steps: 40))
            return falsifier.search(
                box: box, inputRegion: InputRegion(closed: box), regions: targets.map { regions[$0] },
                regionIndices: targets, caseIndex: 0, starts: [], samples: 2_000, restarts: restarts, rng: &rng,
                deadline: .now + .seconds(30))
        }
        #expect(search(restarts: 0) == nil, "sampling alone should not reach the corner")
        #expect(search(restarts: 2, targets: [1]) == nil, "class 2 never overtakes class 0 on this box")
        let cex = try #require(search(restarts: 2))
        #expect(cex.disjunctIndex == 0)
        let y = network.evaluate(cex.input)
        #expect(y[1] >= y[0] && box.contains(cex.input))
    }

    @Test func anUnreachableRegionGivesNothing() {
        #expect(Self.search(Self.atLeast(1.0000001), samples: 256) == nil)
    }

    @Test func aSupremumOnAnOpenSideIsNotAWitness() {
        // y = 1 only at (1, 1), which the open bound x₀ < 1 excludes.
        let open = InputRegion(lower: [0, 0], upper: [1, 1], lowerIsOpen: [false, false], upperIsOpen: [true, false])
        #expect(Self.search(Self.atLeast(1), inputRegion: open, samples: 256) == nil)
        #expect(Self.search(Self.atLeast(1), samples: 256)?.input == [1, 1])
    }
}
