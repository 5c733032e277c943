public import Branching

/// Whether a ReLU-split search that has not decided after a share of its time limit
/// (``SearchOptions/portfolioShare``) hands half of its workers to a second search with another branching
/// heuristic; the first of the two to decide gives the verdict (`--portfolio auto|none|HEURISTIC`).
///
/// No heuristic wins every instance: on MNIST-FC 256x4, BaBSR proves `prop_0_0.03` in 5 s where `fsb:better`
/// times out, and `fsb:better` proves `prop_5_0.03` in 12 s where BaBSR is open at 300 s; k-FSB proves both, but
/// takes 2–3× BaBSR's time on 256x2 (docs/benchmarks.md, "A portfolio of two heuristics" and "k-FSB").
public enum PortfolioChoice: Sendable, Hashable, CustomStringConvertible {
    /// `kfsb` beside BaBSR on networks without convolutions; no second search otherwise (on `cifar_base_kw` FSB
    /// decides fewer instances than BaBSR and each loses half its workers).
    case automatic
    /// One search only.
    case off
    /// This heuristic beside the search's own.
    case second(BranchingChoice)

    /// The second heuristic `auto` picks where it picks one.
    public static let automaticSecond = BranchingChoice.kfsb

    /// Parses `auto`, `none` or a heuristic as `--branching` names it.
    public init?(argument: String) {
        switch argument {
        case "auto": self = .automatic
        case "none": self = .off
        default:
            guard let choice = BranchingChoice(argument: argument) else { return nil }
            self = .second(choice)
        }
    }

    /// `auto`, `none` or the heuristic's name.
    public var description: String {
        switch self {
        case .automatic: "auto"
        case .off: "none"
        case .second(let choice): choice.description
        }
    }
}
