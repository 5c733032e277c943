import Tensor

/// A slope chain with its slope-folded matrices (`W_i diag(β_{i−1})`, every activation in `[0, 1]`) and their
/// certified spectral norms: what the naive bound and the compositional starting point are computed from.
struct FoldedChain {
    /// The chain the LipSDP stages solve on.
    let chain: SlopeChain
    /// The power-of-two scale of each hidden neuron against the network's own chain (nil: not rescaled).
    let scales: [[Double]]?
    /// The slope-folded matrices.
    let matrices: [Matrix]
    /// Certified upper bounds on their spectral norms.
    let norms: [Double]

    /// Folds `chain` (the network's own rescaled by `scales`) and bounds the norms (each within `deadline`).
    init(_ chain: SlopeChain, scales: [[Double]]? = nil, seed: UInt64, deadline: Deadline) {
        self.chain = chain
        self.scales = scales
        matrices = chain.slopeFoldedMatrices()
        norms = matrices.enumerated().map {
            SpectralNormBound.upperBound($1, seed: seed &+ UInt64($0), deadline: deadline)
        }
    }

    /// The naive bound on ρ = L²: the squared product of the certified norms, rounded up.
    var naive: Double {
        let product = norms.reduce(1.0) { $0 * $1 * (1 + 4 * Rounding.unit) }
        return product * product * (1 + 4 * Rounding.unit)
    }

    /// Where ``compositional(seed:deadline:)`` failed.
    enum Failure: Error {
        case recursion
        case certification
    }

    /// The compositional point (one multiplier per layer, from the prefix recursion), certified on the
    /// slope-folded chain.
    func compositional(seed: UInt64, deadline: Deadline) throws(Failure) -> CompositionalPoint {
        let foldedChain = SlopeChain(
            operators: matrices.map { AffineOperator(dense: $0) }, alpha: chain.alpha.map { $0.map { _ in 0 } },
            beta: chain.beta.map { $0.map { _ in 1 } })
        let lmi = LipschitzLMI(chain: foldedChain, matrices: matrices, normBounds: norms)
        guard let prefixes = CompositionalBound.Prefixes(matrices, seed: seed, deadline: deadline) else {
            throw .recursion
        }
        let (rho0, layerT) = prefixes.point(layers: matrices.count, seed: seed)
        let broadcast = zip(layerT, chain.alpha).map { t, a in a.map { _ in t } }
        let zeroTau = chain.alpha.map { $0.map { _ in 0.0 } }
        guard let composed = lmi.polish(t: broadcast, tau: zeroTau, rhoHint: rho0 * 1.01, seed: seed, deadline: deadline)
        else { throw .certification }
        return CompositionalPoint(prefixes: prefixes, estimate: rho0, multipliers: broadcast, certified: composed)
    }
}

/// The compositional starting point of a ``FoldedChain``.
struct CompositionalPoint {
    /// The prefix recursion it came from (reused by ``PrefixRedundancy``).
    let prefixes: CompositionalBound.Prefixes
    /// The recursion's uncertified ρ.
    let estimate: Double
    /// The per-layer multiplier, broadcast to every neuron of its layer (folded chain's scale).
    let multipliers: [[Double]]
    /// The certified point.
    let certified: CertifiedPoint
}
