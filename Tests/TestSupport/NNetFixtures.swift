/// `.nnet` texts shared by the ONNX and verifier tests.
public enum NNetFixtures {
    /// `y = x` with the input range [0, 1]: one 1×1 dense layer, identity normalisation (inputs are clipped).
    public static let identityOnUnitInterval = """
        // y = x, inputs clipped to [0, 1]
        1,1,1,1,
        1,1,
        0,
        0.0,
        1.0,
        0.0,0.0,
        1.0,1.0,
        1.0,
        0.0,
        """
}
