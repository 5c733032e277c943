/// What branch and bound splits.
public enum SplitMode: String, Sendable, CaseIterable {
    /// Input splitting for low-dimensional inputs (≤ ``VerificationOptions/inputSplitDimensionLimit``), ReLU
    /// splitting otherwise.
    case auto
    /// Split unstable ReLU neurons into their active and inactive phases.
    case reluSplit = "relu-split"
    /// Bisect the input box; a box that has been bisected ``VerificationOptions/maxInputSplitDepth`` times
    /// continues with ReLU splits, which keeps the search complete.
    case inputSplit = "input-split"
}
