/// Where a search resumes instead of at the cases' roots: regions of an earlier search (``SearchLeaf``), with the
/// split decisions to follow below each (``ReusePlan``) and the group whose hull bounds each shares
/// (``SharedHullBounds``).
struct Resumption {
    /// The regions.
    var leaves: [SearchLeaf]
    /// `plans[i]` is followed below `leaves[i]` (nil: none).
    var plans: [ReusePlan]? = nil
    /// Leaves with the same `groups` entry share their hull's intermediate bounds (nil: no groups).
    var groups: [Int]? = nil
}
