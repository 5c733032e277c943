import Reporting
import Testing

@testable import Gate

/// The checks a policy implies: their order, groups and names, and how shards split them.
struct GateCheckTests {
    static func policy() -> GatePolicy {
        let p = GatePolicy.Property(path: "p.vnnlib", file: "/p.vnnlib")
        let q = GatePolicy.Property(path: "q.vnnlib", file: "/q.vnnlib", timeout: 5)
        let box = GatePolicy.Property(path: "box.vnnlib", file: "/box.vnnlib", timeout: 7)
        return GatePolicy(
            file: "policy.yaml", properties: [p, q], lipschitz: GatePolicy.Lipschitz(maxRatio: 1.1, timeout: 9),
            difference: GatePolicy.Difference(over: [box], max: 0.1, timeout: 3), timeout: 60)
    }

    @Test func propertiesThenDifferencesThenLipschitz() {
        let checks = GateCheck.checks(of: Self.policy())
        #expect(checks.map(\.index) == [0, 1, 2, 3])
        #expect(checks.map(\.group) == ["property", "property", "difference", "lipschitz"])
        #expect(checks.map(\.name) == ["p.vnnlib", "q.vnnlib", "box.vnnlib", "ratio"])
        #expect(checks.map(\.timeout) == [60, 5, 7, 9])
    }

    @Test func differencesDefaultToThePropertiesBoxes() {
        var policy = Self.policy()
        policy.difference?.over = []
        let checks = GateCheck.checks(of: policy)
        #expect(checks.map(\.name) == ["p.vnnlib", "q.vnnlib", "p.vnnlib", "q.vnnlib", "ratio"])
        // A property's own timeout is its verification's; its difference check takes difference.timeout.
        #expect(checks.map(\.timeout) == [60, 5, 3, 3, 9])
    }

    @Test func shardsPartitionTheChecks() throws {
        let checks = GateCheck.checks(of: Self.policy())
        var seen: [Int] = []
        for k in 1...3 {
            let shard = try Shard(index: k, count: 3)
            let indices = shard.select(checks).map(\.element.index)
            #expect(indices == checks.map(\.index).filter { $0 % 3 == k - 1 })
            seen += indices
        }
        #expect(seen.sorted() == [0, 1, 2, 3])
    }
}
