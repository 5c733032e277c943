public import Network
public import Tensor

/// How a network's input clipping (``Network/inputClamp``: a `.nnet` file's input range) acts on verification.
///
/// A clipping network computes `f(clip(x))` where ``Network/layers`` compute `f`. Clipping acts per coordinate and
/// is monotone, so it maps an input box `B` onto the box `clip(B)` (lower and upper corners clipped). A property
/// over `B` is therefore decided by verifying the layers over ``clampedBox(_:)`` — on which clipping is the
/// identity, so bound propagation and LPs over the layers are exact about the network there — and a violating
/// point `x′` found in `clip(B)` is mapped back by ``WitnessCheck`` to a point of the property's region with the
/// same clipped value, hence the same outputs.
public struct InputClamp: Sendable, Hashable {
    /// The box inputs are clipped to, or nil when the network does not clip.
    public var domain: Box?

    /// The clipping of `network` (``Network/inputClamp``).
    public init(network: Network) { domain = network.inputClamp }

    /// A clipping to `domain` (nil: none).
    public init(domain: Box?) { self.domain = domain }

    /// `clip(box)`: the image of `box` under clipping, `[clip(lower), clip(upper)]` per coordinate.
    ///
    /// - Precondition: `box` has the domain's dimension.
    public func clampedBox(_ box: Box) -> Box {
        guard let domain else { return box }
        precondition(box.dimension == domain.dimension, "box dimension \(box.dimension) != \(domain.dimension)")
        return domain.clamped(box)
    }

    /// `problem` with every case's proof box clipped (the witness regions stay as stated).
    func clamped(_ problem: VerificationProblem) throws(VerifierError) -> VerificationProblem {
        guard domain != nil else { return problem }
        let cases = problem.cases.map {
            VerificationProblem.Case(box: clampedBox($0.box), inputRegion: $0.inputRegion, regions: $0.regions)
        }
        return try VerificationProblem(network: problem.network, cases: cases, reference: problem.reference)
    }
}
