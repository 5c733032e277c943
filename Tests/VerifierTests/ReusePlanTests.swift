import Bounds
import Tensor
import Testing
@testable import Verifier

/// Where proof reuse starts in a trace (``TraceTree``) and how it follows the original's split order
/// (``ReusePlan``).
struct ReusePlanTests {
    static let a = NeuronID(layer: 2, neuron: 0), b = NeuronID(layer: 2, neuron: 1), c = NeuronID(layer: 4, neuron: 3)

    @Test func thePlanSkipsNeuronsAlreadyDecidedOrStable() {
        let plan = ReusePlan.split(
            Self.a, active: .split(Self.b, active: .end, inactive: .split(Self.c, active: .end, inactive: .end)),
            inactive: .end)
        #expect(plan.next(splits: SplitSet(), phase: { _ in nil })?.neuron == Self.a)
        let aActive = SplitSet([ReLUSplit(Self.a, isActive: true)])
        #expect(plan.next(splits: aActive, phase: { _ in nil })?.neuron == Self.b)
        // b is stable inactive on this network: the plan continues on b's inactive side.
        let next = plan.next(splits: aActive, phase: { $0 == Self.b ? false : nil })
        #expect(next?.neuron == Self.c)
        #expect(plan.next(splits: SplitSet([ReLUSplit(Self.a, isActive: false)]), phase: { _ in nil }) == nil)
        #expect(ReusePlan.end.next(splits: SplitSet(), phase: { _ in nil }) == nil)
    }

    static func node(
        _ id: Int, parent: Int? = nil, bisect: Int? = nil, relu: NeuronID? = nil, active: Bool? = nil,
        ending: SearchTrace.Ending = .split, box: Box? = nil, splits: [ReLUSplit]? = nil
    ) -> SearchTrace.Node {
        let decision: SearchTrace.Decision? =
            bisect.map { SearchTrace.Decision(bisect: $0) }
            ?? relu.map { SearchTrace.Decision(relu: [$0.layer, $0.neuron], active: active) }
        return SearchTrace.Node(id: id, parent: parent, caseIndex: 0, decision: decision, ending: ending, box: box, splits: splits)
    }

    static let sizes = [2: 50, 4: 50]

    /// Root bisected; its lower half a leaf, its upper half split on `a` into two leaves.
    static func tree() -> (SearchTrace, Box, Box) {
        let (lower, upper) = Box(lower: [0, 0], upper: [1, 1]).bisected(along: 0)
        var trace = SearchTrace()
        trace.nodes = [
            node(0), node(1, parent: 0, bisect: 0, ending: .refutedByBound, box: lower, splits: []),
            node(2, parent: 0, bisect: 0),
            node(3, parent: 2, relu: a, active: true, ending: .refutedByBound, box: upper, splits: [ReLUSplit(a, isActive: true)]),
            node(4, parent: 2, relu: a, active: false, ending: .refutedByLP, box: upper, splits: [ReLUSplit(a, isActive: false)]),
        ]
        return (trace, lower, upper)
    }

    @Test func startsAreTheTopsOfReLUSubtrees() {
        let (trace, lower, upper) = Self.tree()
        var tree = TraceTree(trace, reluSizes: Self.sizes)
        let starts = tree.starts()
        #expect(starts.count == 2)
        #expect(starts.first?.0 == SearchLeaf(caseIndex: 0, box: lower) && starts.first?.1 == .end)
        #expect(starts.last?.0 == SearchLeaf(caseIndex: 0, box: upper))
        #expect(starts.last?.1 == .split(Self.a, active: .end, inactive: .end))
        // A network without that ReLU layer: the subtree is started at its top, without the plan.
        var foreign = TraceTree(trace, reluSizes: [3: 10])
        #expect(foreign.starts().last?.1 == .end)
    }

    @Test func oddTreesGiveFewerStartsAndTerminate() {
        var (trace, _, _) = Self.tree()
        trace.nodes.remove(at: 4)  // a missing child: no plan there
        var tree = TraceTree(trace, reluSizes: Self.sizes)
        #expect(tree.starts().last?.1 == .end)
        // Repeated ids and a cycle of parents.
        trace.nodes += [Self.node(3, parent: 2), Self.node(7, parent: 8), Self.node(8, parent: 7), Self.node(9, parent: 9)]
        var odd = TraceTree(trace, reluSizes: Self.sizes)
        let starts = odd.starts()
        #expect(starts.count <= 3)
    }
}
