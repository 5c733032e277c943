public import Network
public import Tensor

extension DifferenceBounds {
    /// CROWN bounds of the product network `x ↦ g(x) − f(x)` over `box`, unsplit: the bound a verifier gets from
    /// the two networks side by side, for comparison with difference propagation.
    /// - Throws: the product construction's error (as ``DifferentialError/structureMismatch(layer:reason:)``), or
    ///   ``DifferentialError/bounds(network:_:)``.
    public static func productNetwork(original f: Network, compressed g: Network, over box: Box,
                                      margins: SoundnessMargins = SoundnessMargins()) throws(DifferentialError)
        -> DifferenceBounds
    {
        let difference: Network
        do {
            difference = try Network.difference(original: f, compressed: g)
        } catch {
            throw .structureMismatch(layer: 0, reason: "no product network: \(error)")
        }
        return try LeafBounder.product(difference: difference).bound(box, margins: margins).bounds
    }
}
