public import Bounds
public import Network
public import Tensor

/// What bounding one branch-and-bound node established: the record that the node's later stages (falsify, LP,
/// decide), the ``BranchingPolicy`` and the search trace read, instead of local variables thrown away.
///
/// The objective holds, for every output region still open on the node, the region's rows `c_i·y ≤ d_i` and a
/// few non-negative combinations of them (any of them refutes the region when its lower bound exceeds its
/// threshold). Region `regions[k]` owns the objective rows `regionRows[k]`.
public struct NodeEvaluation: Sendable {
    /// The node's intermediate bounds (pre-activation boxes, split clamps applied).
    public var intermediate: IntermediateBounds
    /// The objective rows (rows × network outputs).
    public var objective: Matrix
    /// `d` of each objective row: a row is refuted when its lower bound exceeds it.
    public var thresholds: [Double]
    /// The output regions evaluated (indices into the case's regions).
    public var regions: [Int]
    /// Per evaluated region, its rows of ``objective``: first its own rows, then their combinations.
    public var regionRows: [[Int]]
    /// Per evaluated region, how many of its rows are its own (the rest are combinations).
    public var ownRowCounts: [Int]
    /// The final linear bound (CROWN's coefficients; their minimisers are counterexample candidates).
    public var linearBound: LinearBoundResult
    /// Certified lower bound of each objective row (the best of CROWN and, where run, alpha-CROWN).
    public var lower: [Double]
    /// The bound method of ``linearBound``.
    public var method: BoundMethod
    /// The unsplit ReLU neurons whose pre-activation interval is not known to exclude zero.
    public var unstable: [NeuronID]
    /// Points tried as counterexamples on this node (the linear bound's minimisers, the LP's points).
    public var candidates: [[Double]] = []
    /// LP evidence per region index, where an LP ran.
    public var lp: [Int: LPEvidence] = [:]
    /// Regions the LP refuted (after bound propagation left them open).
    public var refutedByLP: Set<Int> = []
    /// Regions certified bounds of another kind refuted (an equivalence query's bounds on `g − f`).
    public var refutedByDifference: Set<Int> = []

    /// An evaluation from its parts.
    public init(
        intermediate: IntermediateBounds, objective: Matrix, thresholds: [Double], regions: [Int],
        regionRows: [[Int]], ownRowCounts: [Int], linearBound: LinearBoundResult, lower: [Double], method: BoundMethod,
        unstable: [NeuronID]
    ) {
        self.intermediate = intermediate
        self.objective = objective
        self.thresholds = thresholds
        self.regions = regions
        self.regionRows = regionRows
        self.ownRowCounts = ownRowCounts
        self.linearBound = linearBound
        self.lower = lower
        self.method = method
        self.unstable = unstable
    }

    /// Region `k`'s best margin `max_rows (lower − threshold)`: positive refutes it; −∞ for a region without rows
    /// or a NaN bound (never counted as proof).
    public func margin(ofRegionAt k: Int) -> Double {
        var best = -Double.infinity
        for row in regionRows[k] {
            let m = lower[row] - thresholds[row]
            if m > best { best = m }
        }
        return best
    }

    /// The row of region `k` with the best margin (the first on ties; the first row when no margin is a number),
    /// among all its rows, or among its own rows only (not their combinations); nil for a region without rows.
    public func bestRow(ofRegionAt k: Int, ownRowsOnly: Bool = false) -> Int? {
        let rows = ownRowsOnly ? Array(regionRows[k].prefix(ownRowCounts[k])) : regionRows[k]
        guard var best = rows.first else { return nil }
        var margin = -Double.infinity
        for row in rows where lower[row] - thresholds[row] > margin {
            margin = lower[row] - thresholds[row]
            best = row
        }
        return best
    }

    /// The rows whose bound minimisers are tried as counterexamples for region `k`: its best own row and, when
    /// a combination does better, that combination too.
    public func candidateRows(ofRegionAt k: Int) -> [Int] {
        guard let best = bestRow(ofRegionAt: k), let own = bestRow(ofRegionAt: k, ownRowsOnly: true) else { return [] }
        return best == own ? [best] : [own, best]
    }

    /// True when region `r` was refuted after bound propagation, by the LP or by difference bounds.
    private func isRefutedElsewhere(_ r: Int) -> Bool {
        refutedByLP.contains(r) || refutedByDifference.contains(r)
    }

    /// The evaluated regions that bound propagation did not refute and neither the LP nor difference bounds
    /// refuted, in order.
    public var openRegions: [Int] {
        regions.indices.filter { !(margin(ofRegionAt: $0) > 0) && !isRefutedElsewhere(regions[$0]) }.map { regions[$0] }
    }

    /// The smallest margin over the open regions (−∞ when a margin is NaN; +∞ when none is open): the node's
    /// distance from proven.
    public var worstMargin: Double {
        var worst = Double.infinity
        for k in regions.indices where !(margin(ofRegionAt: k) > 0) && !isRefutedElsewhere(regions[k]) {
            let m = margin(ofRegionAt: k)
            worst = Swift.min(worst, m.isNaN ? -.infinity : m)
        }
        return worst
    }

    /// The unsplit neurons of `network`'s ReLU layers whose pre-activation interval in `bounds` is not known to
    /// exclude zero on either side (a NaN bound is not known), in layer order: the candidates of a ReLU split.
    public static func unstableNeurons(in network: Network, bounds: IntermediateBounds, splits: SplitSet)
        -> [NeuronID]
    {
        var out: [NeuronID] = []
        for (layer, kind) in network.layers.enumerated() where kind == .relu {
            for k in 0..<bounds.tensors[layer].dimension
            where bounds.isUnstable(layer: layer, neuron: k) && splits.state(layer: layer, neuron: k) == nil {
                out.append(NeuronID(layer: layer, neuron: k))
            }
        }
        return out
    }
}
