/// The Lipschitz bounds nncert computes, loosest to tightest. Raw values are the CLI words.
public enum LipschitzMethod: String, Sendable, CaseIterable, Hashable, Codable {
    /// Product of rigorous upper bounds on the layer spectral norms.
    case naive
    /// Closed-form compositional bound (ECLipsE-Fast, Xu & Sivaranjani, NeurIPS 2024), certified.
    case compositional
    /// LipSDP-Layer (Fazlyab et al., NeurIPS 2019): one multiplier per activation layer.
    case lipsdpLayer = "lipsdp-layer"
    /// LipSDP-Neuron (Fazlyab et al., NeurIPS 2019): one multiplier per neuron.
    case lipsdpNeuron = "lipsdp-neuron"
}
