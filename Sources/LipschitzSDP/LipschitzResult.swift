/// A certified ℓ₂ Lipschitz bound: ‖f(x) − f(y)‖₂ ≤ `bound` · ‖x − y‖₂ (globally, or on the box of a local bound).
public struct LipschitzResult: Sendable, Hashable {
    /// The certified upper bound L. Rounded up.
    public var bound: Double
    /// The method that produced it.
    public var method: LipschitzMethod
    /// Certification shift: relative amount by which ρ = L² had to be raised above the solver's estimate to pass
    /// the rigorous floating-point check (0 for the naive bound, whose norms are certified individually).
    public var margin: Double
    /// Absolute diagonal shift c_fp used in the rounding-safe Cholesky test (Higham Thm 10.3 bound + formation
    /// error), 0 when not applicable.
    public var roundingShift: Double
    /// First-order iterations performed (0 for closed-form methods).
    public var iterations: Int
    /// Wall-clock seconds.
    public var seconds: Double
    /// True when the bound is local (slopes restricted by pre-activation bounds over an input box).
    public var isLocal: Bool
    /// For the LipSDP methods: a lower bound on the optimum of the LipSDP program that was solved (√ of the value
    /// of a dual-feasible point), so the certified ``bound`` is at most ``gap`` above the best bound the method
    /// can give. It bounds the method's optimum, not the true Lipschitz constant. Nil for closed forms, or when
    /// no dual point was found.
    public var optimumLowerBound: Double?
    /// Relative distance (L − L_dual) / L between the certified bound and ``optimumLowerBound``.
    public var gap: Double? { optimumLowerBound.map { 1 - $0 / bound } }
    /// For a global bound computed on a rescaled chain (the same function, see ``LipschitzOptions/balancing``):
    /// the power-of-two scale of each hidden neuron, per activation layer; nil when the network's own weights
    /// were used. Pass it as ``LipschitzOptions/neuronScales`` to bound another network of the same widths in
    /// the same coordinates.
    public var neuronScales: [[Double]]?
    /// Human-readable extra facts (LMI size, number of checks, solver estimate before certification, …).
    public var details: [String: String]

    /// A result record.
    public init(
        bound: Double, method: LipschitzMethod, margin: Double, roundingShift: Double,
        iterations: Int, seconds: Double, isLocal: Bool, optimumLowerBound: Double? = nil,
        details: [String: String] = [:]
    ) {
        self.bound = bound
        self.method = method
        self.margin = margin
        self.roundingShift = roundingShift
        self.iterations = iterations
        self.seconds = seconds
        self.isLocal = isLocal
        self.optimumLowerBound = optimumLowerBound
        self.details = details
    }
}
