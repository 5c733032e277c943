public import Differential
public import Network
public import Tensor
import Verifier

/// Certified bounds on `|g − f|` over a box in two stages: the best-first refinement of
/// ``Differential/DifferenceBounds/compute(original:compressed:over:budget:margins:)`` (a numeric bound), then,
/// when it stops short of its target ratio, a proof of `max_i |g_i − f_i| ≤ target × attacked` by branch and bound
/// on the difference network (``Verifier/Verifier/verifyDifference(original:compressed:over:atMost:)``), whose
/// input split rule, alpha-CROWN and workers close large boxes that the refinement's bisection does not.
///
/// A proof replaces each output's bound by `±target × attacked` where that is tighter; a counterexample (an input
/// where `|g_i − f_i|` exceeds it, confirmed on the difference network) raises the attacked bound, and the proof
/// is tried again at the new target while time remains. Without a time limit, an attack or a target ratio in the
/// budget (or with ``proves`` off), only the refinement runs.
public struct DifferenceCertifier: Sendable {
    /// The refinement's budget; its time limit covers both stages.
    public var budget: DifferenceBudget
    /// The share of the time limit the refinement may use before the proof starts (the proof gets the rest). 0.3
    /// rather than 0.5 took the ACAS Xu rows the proof decides from 35–52 s to 23–39 s, and no row the refinement
    /// met alone got slower (docs/benchmarks.md).
    public var refinementShare = 0.3
    /// Worker threads of the branch and bound.
    public var workers: Int?
    /// False: the refinement only, with the whole time limit.
    public var proves = true

    /// A certifier within `budget`.
    public init(budget: DifferenceBudget) {
        self.budget = budget
    }

    /// The certified bounds of `g − f` over `box` (``DifferenceRefinement/stop`` is ``DifferenceRefinement/Stop/proof``
    /// when the proof stage reached the target).
    /// - Throws: the errors of the refinement.
    public func compute(original f: Network, compressed g: Network, over box: Box) throws(DifferentialError)
        -> DifferenceRefinement
    {
        let start = ContinuousClock.now
        guard proves, let limit = budget.timeLimit, let ratio = budget.targetRatio, budget.attack != nil else {
            return try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: budget)
        }
        var refining = budget
        refining.timeLimit = limit * refinementShare
        var result = try DifferenceBounds.compute(original: f, compressed: g, over: box, budget: refining)
        proving: while let attack = result.attack, let r = result.ratio, r > ratio, attack.worst > 0 {
            let left = limit - (ContinuousClock.now - start).seconds
            guard left > 0.5 else { break }
            let target = ratio * attack.worst
            switch prove(f, g, box, atMost: target, seconds: left) {
            case .proven:
                result.bounds = result.bounds.clamped(toMagnitude: target)
                result.stop = .proof
                break proving
            case let .violated(witness):
                guard let raised = Self.raised(attack, at: witness.input, f, g) else { break proving }
                result.attack = raised
            default:
                break proving
            }
        }
        result.seconds = (ContinuousClock.now - start).seconds
        return result
    }

    /// The verdict of the branch and bound at `target` within `seconds` (`unknown` when it cannot run).
    private func prove(_ f: Network, _ g: Network, _ box: Box, atMost target: Double, seconds: Double) -> Verdict {
        var options = VerificationOptions(timeout: seconds)
        if let workers { options.search.workers = workers }
        do {
            let bounds = [Double](repeating: target, count: f.outputCount)
            return try Verifier(options: options).verifyDifference(original: f, compressed: g, over: box, atMost: bounds)
                .verdict
        } catch {
            return .unknown(reason: "\(error)")
        }
    }

    /// `attack` with each output's value raised to `|g_i(x) − f_i(x)|` where that is larger; nil when none is.
    private static func raised(_ attack: DifferenceAttack.Result, at x: [Double], _ f: Network, _ g: Network)
        -> DifferenceAttack.Result?
    {
        var raised = attack
        for (i, (a, b)) in zip(g.evaluate(x), f.evaluate(x)).enumerated() where abs(a - b) > raised.values[i] {
            raised.values[i] = abs(a - b)
            raised.inputs[i] = x
        }
        return raised.worst > attack.worst ? raised : nil
    }
}
