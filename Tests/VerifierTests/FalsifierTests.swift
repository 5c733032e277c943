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
