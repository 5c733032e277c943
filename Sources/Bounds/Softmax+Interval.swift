public import Network
public import Tensor

extension Softmax {
    /// Bounds of every output of one softmax group over a box of its logits: output `i` lies between
    /// `σ(l_i − log Σ_{j≠i} e^{u_j})` and `σ(u_i − log Σ_{j≠i} e^{l_j})`, each rounded outward (the interval rule
    /// the bound propagation applies to a softmax layer).
    /// - Precondition: `logits` has ``size`` coordinates.
    public func outputInterval(over logits: Box, margins: SoundnessMargins = SoundnessMargins()) -> Box {
        precondition(logits.dimension == size, "one logit per softmax output")
        return SoftmaxBoundRule(softmax: self, count: size).interval(logits, margins: margins)
    }
}
