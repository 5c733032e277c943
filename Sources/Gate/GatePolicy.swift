public import LipschitzSDP

/// What a compressed network must keep of its original for `nncert gate` to pass: read from a YAML or JSON policy
/// file (``init(contentsOfFile:)``, schema version 1, documented in `docs/ci.md`).
///
/// ```yaml
/// version: 1
/// properties: [prop_1.vnnlib, {path: prop_3.vnnlib, timeout: 30}]
/// require: proven
/// lipschitz: {max-ratio: 1.10}
/// difference: {max: 0.05}
/// timeout: 60
/// undecided: fail
/// ```
///
/// A policy is a plain value; ``GateCheck/checks(of:)`` turns it into the ordered list of checks a gate runs.
public struct GatePolicy: Sendable, Hashable {
    /// The schema version this nncert reads.
    public static let version = 1

    /// Which properties must be proven on the compressed network.
    public enum Requirement: String, Sendable, Hashable, CaseIterable {
        /// Every listed property must be proven on the compressed network.
        case proven
        /// Only the listed properties the original satisfies must be proven on the compressed network; one the
        /// original violates is skipped (there was no guarantee to keep).
        case preserved
    }

    /// What a check that is neither proven nor refuted (timeout, unknown, budget spent) does to the run.
    public enum UndecidedAction: String, Sendable, Hashable, CaseIterable {
        /// The check is `undecided` and the run exits 3 unless another check failed.
        case fail
        /// The check is a `warning`; the run can still pass.
        case warn
    }

    /// One property that must stay proven.
    public struct Property: Sendable, Hashable {
        /// The path as written in the policy (the check's name in reports, the key of `difference.per-property`).
        public var path: String
        /// The path resolved against the policy file's folder.
        public var file: String
        /// This property's time limit in seconds (nil: the policy's ``GatePolicy/timeout``).
        public var timeout: Double?

        /// A property entry.
        public init(path: String, file: String, timeout: Double? = nil) {
            self.path = path
            self.file = file
            self.timeout = timeout
        }
    }

    /// The allowed growth of the certified ℓ₂ Lipschitz bound.
    public struct Lipschitz: Sendable, Hashable {
        /// The compressed network's certified bound may be at most this times the original's (> 0).
        public var maxRatio: Double
        /// The method certifying both bounds. Default LipSDP-neuron.
        public var method: LipschitzMethod
        /// The check's time limit in seconds, half for each network (nil: the policy's ``GatePolicy/timeout``).
        public var timeout: Double?

        /// A Lipschitz requirement.
        public init(maxRatio: Double, method: LipschitzMethod = .lipsdpNeuron, timeout: Double? = nil) {
            self.maxRatio = maxRatio
            self.method = method
            self.timeout = timeout
        }
    }

    /// The allowed `max |g(x)_i − f(x)_i|` over the input boxes of some VNN-LIB files (by default the listed
    /// properties').
    public struct Difference: Sendable, Hashable {
        /// The files whose input boxes the difference is bounded over, one check each (empty: the policy's
        /// ``GatePolicy/properties``). Their output constraints are ignored.
        public var over: [Property]
        /// The limit for every output of every property (nil: only ``perOutput`` and ``perProperty``).
        public var max: Double?
        /// One limit per output, replacing ``max`` for that output.
        public var perOutput: [Double]?
        /// A limit for every output over one file's boxes (keyed by its path as written), replacing both.
        public var perProperty: [String: Double]
        /// The time limit of each property's difference check in seconds, shared by its boxes (nil: the policy's
        /// ``GatePolicy/timeout``).
        public var timeout: Double?

        /// A difference requirement.
        public init(over: [Property] = [], max: Double? = nil, perOutput: [Double]? = nil,
                    perProperty: [String: Double] = [:], timeout: Double? = nil) {
            self.over = over
            self.max = max
            self.perOutput = perOutput
            self.perProperty = perProperty
            self.timeout = timeout
        }

        /// The limit on output `output` over the boxes of the property written `property`; nil when none applies.
        public func limit(property: String, output: Int) -> Double? {
            if let limit = perProperty[property] { return limit }
            if let perOutput, output < perOutput.count { return perOutput[output] }
            return max
        }
    }

    /// The policy file (as given), named in every error and report.
    public var file: String
    /// The properties that must stay proven, in order.
    public var properties: [Property]
    /// Which of them must be proven. Default ``Requirement/proven``.
    public var require: Requirement
    /// The Lipschitz requirement, if any.
    public var lipschitz: Lipschitz?
    /// The difference requirement, if any.
    public var difference: Difference?

    /// The files whose boxes the difference is bounded over (``Difference/over``, or the properties).
    public var differenceRegions: [Property] {
        guard let difference else { return [] }
        return difference.over.isEmpty ? properties : difference.over
    }
    /// The default time limit of a check in seconds. Default 60.
    public var timeout: Double
    /// The total seconds the whole run may take (nil: no limit); checks not started in time are undecided.
    public var budget: Double?
    /// What an undecided check means. Default ``UndecidedAction/fail``.
    public var undecided: UndecidedAction

    /// The default time limit of a check.
    public static let defaultTimeout = 60.0

    /// A policy from its parts.
    public init(
        file: String, properties: [Property] = [], require: Requirement = .proven, lipschitz: Lipschitz? = nil,
        difference: Difference? = nil, timeout: Double = GatePolicy.defaultTimeout, budget: Double? = nil,
        undecided: UndecidedAction = .fail
    ) {
        self.file = file
        self.properties = properties
        self.require = require
        self.lipschitz = lipschitz
        self.difference = difference
        self.timeout = timeout
        self.budget = budget
        self.undecided = undecided
    }
}
