public import Network
public import Tensor

/// How a network's input clipping (``Network/inputClamp``: a `.nnet` file's input range) acts on verification.
///
/// A clipping network computes `f(clip(x))` where ``Network/layers`` compute `f`. Clipping acts per coordinate and
/// is monotone, so it maps an input box `B` onto the box `clip(B)` (lower and upper corners clipped). A property
/// over `B` is therefore decided by verifying the layers over ``clampedBox(_:)`` — on which clipping is the
/// identity, so bound propagation and LPs over the layers are exact about the network there — and a violating
/// point `x′` found in `clip(B)` is mapped back by ``witness(inBox:from:)-(_,[Double])`` to a point of `B` with
/// the same clipped value, hence the same outputs.
///
/// Without clipping both functions return their input unchanged.
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

    /// A point of `box` whose clipping is `point`, where `point` lies in ``clampedBox(_:)`` of `box`.
    ///
    /// Coordinates of `point` inside `box` are kept. Any other coordinate is a clipping bound that `box` lies
    /// entirely beyond; it becomes the Float32 value of `box` nearest to `point` (every value there clips to that
    /// bound), so a Float32 `point` gives a Float32 witness and identical Float64 and Float32 forward passes.
    /// - Returns: nil when `point` is not in `clip(box)`, or when such a coordinate of `box` holds no Float32 value.
    public func witness(inBox box: Box, from point: [Double]) -> [Double]? {
        guard point.count == box.dimension else { return nil }
        guard let domain else { return box.contains(point) ? point : nil }
        var result = point
        for i in point.indices where !(box.lower[i] <= point[i] && point[i] <= box.upper[i]) {
            guard let v = Counterexample.float32Inside(point[i], lower: box.lower[i], upper: box.upper[i]) else {
                return nil
            }
            result[i] = Double(v)
        }
        return domain.clamped(result) == point ? result : nil
    }

    /// `counterexample` (found over ``clampedBox(_:)`` of `box`) with its input mapped into `box` by
    /// ``witness(inBox:from:)-(_,[Double])``; its outputs are unchanged since the clipped input is.
    /// - Returns: nil when the input cannot be mapped (see there).
    public func witness(inBox box: Box, from counterexample: Counterexample) -> Counterexample? {
        guard let input = witness(inBox: box, from: counterexample.input) else { return nil }
        var mapped = counterexample
        mapped.input = input
        return mapped
    }
}
