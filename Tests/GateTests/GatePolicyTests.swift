import Foundation
import Testing

@testable import Gate

/// Reading and validating policy files: defaults, both syntaxes, and one clear message per kind of mistake.
struct GatePolicyTests {
    /// The message a policy text is refused with (nil when it is accepted). The folder holds `p.vnnlib`.
    static func refusal(_ text: String, file: String = "policy.yaml") throws -> String? {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("p.vnnlib", PolicyFolder.property(threshold: 3))
        do {
            _ = try GatePolicy(text: text, file: file, folder: folder.url.path)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aFullPolicyWithDefaults() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("p.vnnlib", PolicyFolder.property(threshold: 3))
        try folder.write("q.vnnlib", PolicyFolder.property(threshold: 4))
        let path = try folder.write("policy.yaml", """
            version: 1
            properties:
              - p.vnnlib
              - {path: q.vnnlib, timeout: 5}
            lipschitz: {max-ratio: 1.1}
            difference: {max: 0.05, per-output: [0.1], per-property: {q.vnnlib: 0.2}, timeout: 20}
            budget: 600
            """)
        let policy = try GatePolicy(contentsOfFile: path)
        #expect(policy.properties.map(\.path) == ["p.vnnlib", "q.vnnlib"])
        #expect(policy.properties[0].file == folder.path("p.vnnlib") && policy.properties[1].timeout == 5)
        #expect(policy.require == .proven && policy.undecided == .fail && policy.timeout == 60 && policy.budget == 600)
        #expect(policy.lipschitz == GatePolicy.Lipschitz(maxRatio: 1.1, method: .lipsdpNeuron))
        let difference = try #require(policy.difference)
        #expect(difference.limit(property: "p.vnnlib", output: 0) == 0.1)
        #expect(difference.limit(property: "p.vnnlib", output: 3) == 0.05)
        #expect(difference.limit(property: "q.vnnlib", output: 0) == 0.2)
        #expect(policy.differenceRegions.map(\.path) == ["p.vnnlib", "q.vnnlib"])
    }

    @Test func jsonIsReadToo() throws {
        let folder = try PolicyFolder()
        defer { folder.remove() }
        try folder.write("p.vnnlib", PolicyFolder.property(threshold: 3))
        let path = try folder.write("policy.json", """
            {"version": 1, "properties": ["p.vnnlib"], "require": "preserved", "undecided": "warn", "timeout": 2.5}
            """)
        let policy = try GatePolicy(contentsOfFile: path)
        #expect(policy.require == .preserved && policy.undecided == .warn && policy.timeout == 2.5)
    }

    @Test(arguments: [
        ("version: 1\nproperties: [p.vnnlib]\ntimeuot: 5\n",
         "policy.yaml:3:1: timeuot: unknown key (expected one of: version, properties, require, lipschitz, difference, timeout, budget, undecided)"),
        ("version: 1\nproperties: [p.vnnlib]\ndifference: {max: 0.1, maximum: 2}\n",
         "policy.yaml:3:24: difference.maximum: unknown key (expected one of: over, max, per-output, per-property, timeout)"),
        ("version: 1\nproperties: [p.vnnlib]\ndifference:\n  max: -0.05\n",
         "policy.yaml:4:8: difference.max: must be a positive number"),
        ("version: 1\nproperties: [p.vnnlib]\nlipschitz: {max-ratio: -1}\n",
         "policy.yaml:3:24: lipschitz.max-ratio: must be a positive number"),
        ("version: 1\nproperties: [p.vnnlib]\nlipschitz: {max-ratio: fast}\n",
         "policy.yaml:3:24: lipschitz.max-ratio: must be a positive number"),
        ("version: 1\nproperties: p.vnnlib\n", "policy.yaml:2:13: properties: must be a list"),
        ("version: 1\nproperties: [p.vnnlib, missing.vnnlib]\n", "no such property file"),
        ("version: 1\nproperties: [p.vnnlib, p.vnnlib]\n", "policy.yaml:2:24: properties[1]: p.vnnlib is listed twice"),
        ("version: 1\nproperties: [{file: p.vnnlib}]\n", "policy.yaml:2:15: properties[0].file: unknown key"),
        ("version: 1\nproperties: [p.vnnlib]\nrequire: kept\n", "policy.yaml:3:10: require: must be one of: proven, preserved"),
        ("version: 1\nproperties: [p.vnnlib]\nundecided: maybe\n", "policy.yaml:3:12: undecided: must be one of: fail, warn"),
        ("version: 1\nproperties: [p.vnnlib]\nlipschitz: {max-ratio: 1, method: exact}\n", "lipschitz.method: must be one of: "),
        ("version: 1\nproperties: [p.vnnlib]\ntimeout: 0\n", "policy.yaml:3:10: timeout: must be a positive number"),
        ("version: 1\nproperties: [p.vnnlib]\ndifference: {timeout: 3}\n", "difference: needs a limit"),
        ("version: 1\nproperties: [p.vnnlib]\ndifference: {per-property: {q.vnnlib: 1}}\n",
         "difference.per-property.q.vnnlib: unknown key (expected one of: p.vnnlib)"),
        ("version: 1\nproperties: [p.vnnlib]\ndifference: {max: 1, per-output: [1, 0]}\n",
         "difference.per-output[1]: must be a positive number"),
        ("version: 1\nversion: 1\nproperties: [p.vnnlib]\n", "policy.yaml:1:1: duplicate key 'version'"),
        ("properties: [p.vnnlib]\n", "policy.yaml:1:1: missing key 'version' (write version: 1)"),
        ("version: 2\nproperties: [p.vnnlib]\n", "policy.yaml:1:10: version: unsupported version (this nncert reads version 1)"),
        ("version: 1\n", "the policy checks nothing"),
        ("version: 1\nproperties: [p.vnnlib\n", "policy.yaml:3:1: not valid YAML or JSON"),
        ("- 1\n- 2\n", "policy.yaml:1:1: must be a mapping (key: value)"),
        ("", "policy.yaml: the policy is empty"),
    ])
    func refusals(text: String, message: String) throws {
        let refusal = try #require(try Self.refusal(text), "accepted: \(text)")
        #expect(refusal.hasPrefix(message) || refusal.contains(message), "\(refusal)")
    }

    @Test func missingAndUnreadableFiles() throws {
        #expect(throws: GateError.unreadable(file: "/no/such.yaml", line: nil, column: nil, reason: "No such file or directory")) {
            try GatePolicy(contentsOfFile: "/no/such.yaml")
        }
        let refusal = try #require(try Self.refusal("version: 1\nproperties: [missing.vnnlib]\n"))
        #expect(refusal.hasPrefix("policy.yaml:2:14: properties[0]: no such property file ") && refusal.hasSuffix("/missing.vnnlib"))
    }
}
