import Network
import Tensor
import Testing
import VNNLib
import Verifier

/// ``WitnessCheck``: the one gate every `sat` passes.
struct WitnessCheckTests {
    /// y = x on one input.
    static let identity = try! Network(
        inputShape: [1], layers: [.dense(Dense(weights: Matrix(rows: 1, columns: 1, storage: [1]), bias: [0]))])
    static let check = WitnessCheck(network: identity)
    /// y ≥ 0 as `−y ≤ 0`.
    static let nonNegative = OutputPolytope(coefficients: Matrix(rows: 1, columns: 1, storage: [-1]), bounds: [0])

    static func confirm(_ x: Double, box: Box, region: InputRegion? = nil, output: OutputPolytope = nonNegative)
        -> Counterexample?
    {
        check.confirm([x], box: box, inputRegion: region ?? InputRegion(closed: box), region: output, caseIndex: 0,
                      disjunctIndex: 0)
    }

    @Test func aPointOneUlpOutsideTheBoxIsRoundedInOrRejected() {
        // [0.1, 0.1] holds no Float32 value: no rounding of any candidate is inside.
        #expect(Self.confirm(0.1, box: Box(lower: [0.1], upper: [0.1])) == nil)
        #expect(Self.confirm((0.1).nextUp, box: Box(lower: [0.1], upper: [0.1])) == nil)
        // A Float32 bound: the candidate one ulp above is moved onto it.
        let cex = Self.confirm((0.5).nextUp, box: Box(lower: [0], upper: [0.5]))
        #expect(cex?.input == [0.5])
        // A candidate beyond a non-Float32 upper bound is moved to the largest Float32 below it.
        let below = Self.confirm(0.3, box: Box(lower: [0], upper: [0.1]))
        // Float(0.1) = 0.100000001490116 lies above 0.1, so the witness is the Float32 just below it.
        #expect(below?.input == [Double(Float(0.1).nextDown)])
    }

    @Test func openSidesAreExcluded() {
        let box = Box(lower: [0], upper: [1])
        let open = InputRegion(lower: [0], upper: [1], lowerIsOpen: [true], upperIsOpen: [true])
        let atLower = Self.confirm(0, box: box, region: open)
        #expect(atLower.map { $0.input[0] > 0 } == true, "moved off the open side")
        let nonPositive = OutputPolytope(coefficients: Matrix(rows: 1, columns: 1, storage: [1]), bounds: [0])
        // y ≤ 0 on x ∈ (0, 1]: no witness, although x = 0 is in the closed box.
        #expect(Self.confirm(0, box: box, region: open, output: nonPositive) == nil)
        #expect(Self.confirm(0, box: box, output: nonPositive)?.input == [0])
    }

    @Test func outputsAreCheckedExactly() {
        // y < 0.5 (strict) at x = 0.5: rejected; at the Float32 below 0.5: accepted.
        let strict = OutputPolytope(coefficients: Matrix(rows: 1, columns: 1, storage: [1]), bounds: [0.5],
                                    isStrict: [true])
        let box = Box(lower: [0.5], upper: [0.5])
        #expect(Self.confirm(0.5, box: box, output: strict) == nil)
        let wider = Box(lower: [0], upper: [0.5])
        #expect(Self.confirm(0.5, box: wider, output: strict) == nil)
        #expect(Self.confirm(Double(Float(0.5).nextDown), box: wider, output: strict) != nil)
    }
}
