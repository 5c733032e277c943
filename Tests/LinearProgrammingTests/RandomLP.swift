import LinearProgramming

/// A tiny seeded generator for the tests (SplitMix64, Steele, Lea & Flood 2014), so that this test target does
/// not depend on Tensor.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in 0..<n.
    mutating func index(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A random LP with `rows × columns` constraints, bounded columns, feasible by construction: a point `x₀` inside
/// the column bounds satisfies every row (rows are `≤`, `≥` or ranged around `A·x₀`). `density` is the
/// probability of a nonzero.
func randomFeasibleLP(rows m: Int, columns n: Int, density: Double, random: inout TestRandom)
    -> (model: LPModel, interiorPoint: [Double])
{
    var model = LPModel(direction: random.index(2) == 0 ? .minimize : .maximize)
    var x0 = [Double]()
    for _ in 0..<n {
        let lower = random.uniform(-5, 0), upper = random.uniform(0.5, 5)
        model.addColumn(lower: lower, upper: upper, cost: random.uniform(-1, 1))
        x0.append(random.uniform(lower, upper))
    }
    for _ in 0..<m {
        var entries: [(column: Int, coefficient: Double)] = []
        for j in 0..<n where random.uniform(0, 1) < density { entries.append((j, random.uniform(-1, 1))) }
        let activity = entries.reduce(0) { $0 + $1.coefficient * x0[$1.column] }
        switch random.index(3) {
        case 0: model.addRow(entries, upper: activity + random.uniform(0, 1))
        case 1: model.addRow(entries, lower: activity - random.uniform(0, 1))
        default: model.addRow(entries, lower: activity - random.uniform(0, 1), upper: activity + random.uniform(0, 1))
        }
    }
    return (model, x0)
}
