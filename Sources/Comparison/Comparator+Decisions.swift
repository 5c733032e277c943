import Network
import Tensor
import VNNLib
import Verifier

extension Comparator {
    /// Decides whether `g` classifies like `f` on all of `box`, by verification of the side-by-side network
    /// `x ↦ [f(x); g(x)]` against the disagreement polytopes (``disagreementRegions(classes:rule:)``); `unsat`
    /// proves equivalence. A witness is re-checked on both networks before it refutes. Classifiers that both end
    /// in a softmax over all outputs are compared on their logits: softmax keeps the order of its inputs, ties
    /// included, so the decided classes are the same. Networks that cannot be put side by side (pools of different
    /// geometry, a product stage over ``Network/productEntryLimit``) are decided network by network
    /// (``decideSeparately(_:_:over:rule:timeout:because:)``). So are networks with max pools first, with half the
    /// decision time: the side-by-side network relaxes each pool twice and ReLU splits never make a pool exact, so
    /// where each network keeps its class (a robust box) the two single-network proofs are the cheaper ones
    /// (0.4 s against 2.6 s on the shipped pooled CNN's property); the side-by-side search gets the rest of the
    /// time when they leave the answer open.
    func decide(_ f: ComparedNetwork, _ g: ComparedNetwork, over box: Box, rule: DecisionRule) -> DecisionEquivalence {
        let m = f.network.outputCount
        guard m >= 2 else { return .undecided(reason: "a single output has no decision") }
        let inputs = Array(0..<box.dimension)
        let pair: Network
        do {
            pair = try Network.sideBySide(
                Self.decisionScores(f.network, g.network), inputCount: box.dimension, inputs: [inputs, inputs])
        } catch {
            return decideSeparately(
                f, g, over: box, rule: rule, timeout: options.decisionTimeout, because: "no side-by-side network: \(error)")
        }
        var timeout = options.decisionTimeout
        if pair.hasMaxPooling {
            let start = ContinuousClock.now
            let separate = decideSeparately(f, g, over: box, rule: rule, timeout: timeout / 2, because: "max pooling")
            if case .undecided = separate {} else { return separate }
            timeout -= (ContinuousClock.now - start).seconds
        }
        var verification = options.verification
        verification.timeout = timeout
        let regions = Self.disagreementRegions(classes: m, rule: rule)
        let result: VerificationResult
        do {
            let problem = try VerificationProblem(network: pair, cases: [.init(box: box, regions: regions)])
            result = try Verifier(options: verification).verify(problem)
        } catch {
            return .undecided(reason: String(describing: error))
        }
        switch result.verdict {
        case .proven: return .proved
        case .timeout: return .undecided(reason: "timeout")
        case .unknown(let reason): return .undecided(reason: reason)
        case .violated(let cex): return confirmDisagreement(at: cex.input, f, g, rule: rule)
        }
    }

    /// Equivalence network by network: proved when both networks provably decide the class `f` gives the box's
    /// centre on all of the box (each verified alone, half of `timeout` each); refuted at the
    /// centre, or at a witness where one network leaves that class, when the other decides otherwise there
    /// (confirmed as ``decide(_:_:over:rule:)`` confirms). Undecided when both change class inside the box;
    /// `reason` (why the networks were not put side by side) leads the undecided answer's reason.
    private func decideSeparately(
        _ f: ComparedNetwork, _ g: ComparedNetwork, over box: Box, rule: DecisionRule, timeout: Double,
        because reason: String
    ) -> DecisionEquivalence {
        let scores = Self.decisionScores(f.network, g.network)
        let centre = zip(box.lower, box.upper).map { l, u in
            let c = Double(Float((l + u) / 2))
            return c < l || c > u ? l : c
        }
        let decided = rule.decide(scores[0].evaluate(centre))
        if rule.decide(scores[1].evaluate(centre)) != decided { return confirmDisagreement(at: centre, f, g, rule: rule) }
        var verification = options.verification
        verification.timeout = timeout / 2
        let leaving = Self.leavingRegions(of: decided, classes: f.network.outputCount, rule: rule)
        var proofs = 0
        for (k, network) in scores.enumerated() {
            let verdict: Verdict
            do {
                let problem = try VerificationProblem(network: network, cases: [.init(box: box, regions: leaving)])
                verdict = try Verifier(options: verification).verify(problem).verdict
            } catch {
                return .undecided(reason: "\(reason); \(error)")
            }
            switch verdict {
            case .proven: proofs += 1
            case let .violated(cex):
                let other = scores[1 - k]
                if rule.decide(other.evaluate(cex.input)) != rule.decide(network.evaluate(cex.input)) {
                    return confirmDisagreement(at: cex.input, f, g, rule: rule)
                }
            default: break
            }
        }
        return proofs == 2 ? .proved
            : .undecided(reason: "\(reason); the networks were not both proven to keep class \(decided)")
    }

    /// One polytope per class `k ≠ c` over the `m` scores: "`k` is decided instead of `c`" (its closure: `k` scores at
    /// least as well as `c`; strictly for `k > c` under argmax's first-index ties, mirrored for argmin).
    static func leavingRegions(of c: Int, classes m: Int, rule: DecisionRule) -> [OutputPolytope] {
        let sign: Double = rule == .argmax ? 1 : -1
        return (0..<m).filter { $0 != c }.map { k in
            var row = [Double](repeating: 0, count: m)
            row[c] = sign
            row[k] = -sign
            return OutputPolytope(coefficients: Matrix([row]), bounds: [0], isStrict: [k > c])
        }
    }

    /// The networks whose outputs decide the classes: both logit networks when both end in a softmax over all
    /// their outputs, else the networks as they are.
    static func decisionScores(_ f: Network, _ g: Network) -> [Network] {
        guard let (a, s) = f.splittingOutputSoftmax(), s.size == f.outputCount,
              let (b, t) = g.splittingOutputSoftmax(), t.size == g.outputCount
        else { return [f, g] }
        return [a, b]
    }

    /// One polytope over `[f; g]` per ordered pair `i ≠ j`: "f decides i and g decides j", with ties broken
    /// towards the lower index as ``DecisionRule/decide(_:)`` does (`f_k < f_i` for `k < i`, `f_k ≤ f_i` for
    /// `k > i`, for argmax; reversed for argmin). The polytopes cover exactly the disagreeing outputs; a proof over
    /// their closure is a proof over them.
    static func disagreementRegions(classes m: Int, rule: DecisionRule) -> [OutputPolytope] {
        var regions: [OutputPolytope] = []
        for i in 0..<m {
            for j in 0..<m where j != i {
                let rows = rule.winningRows(of: i, classes: m, offset: 0, width: 2 * m)
                    + rule.winningRows(of: j, classes: m, offset: m, width: 2 * m)
                regions.append(OutputPolytope(
                    coefficients: Matrix(rows.map(\.coefficients)), bounds: Array(repeating: 0, count: rows.count),
                    isStrict: rows.map(\.isStrict)))
            }
        }
        return regions
    }

    /// `.refuted` only when the decided classes differ in Float64, in Float32 and on each stored model.
    private func confirmDisagreement(
        at x: [Double], _ f: ComparedNetwork, _ g: ComparedNetwork, rule: DecisionRule
    ) -> DecisionEquivalence {
        let x32 = x.map(Float.init)
        guard x32.map(Double.init) == x else { return .undecided(reason: "the witness is not a Float32 input") }
        let a = rule.decide(f.network.evaluate(x)), b = rule.decide(g.network.evaluate(x))
        guard a != b,
              rule.decide(f.network.evaluate(x32)) == a, rule.decide(g.network.evaluate(x32)) == b
        else { return .undecided(reason: "the forward passes do not confirm the disagreement") }
        for (model, decided) in [(f, a), (g, b)] {
            if let reference = model.reference {
                guard let y = reference.evaluate(x32), rule.decide(y) == decided else {
                    return .undecided(reason: "the stored model does not confirm the witness")
                }
            }
        }
        return .refuted(input: x, originalClass: a, compressedClass: b)
    }
}

extension DecisionRule {
    /// The rows `c·y ≤ 0` (strict for lower indices) saying that class `i` wins among the `m` scores stored at
    /// `offset ..< offset + m` of a vector of `width` values.
    func winningRows(of i: Int, classes m: Int, offset: Int, width: Int) -> [(coefficients: [Double], isStrict: Bool)] {
        let sign: Double = self == .argmax ? 1 : -1
        return (0..<m).filter { $0 != i }.map { k in
            var row = [Double](repeating: 0, count: width)
            row[offset + k] = sign
            row[offset + i] = -sign
            return (row, k < i)
        }
    }

    /// The decided class: the first index of the highest (argmax) or lowest (argmin) score.
    public func decide<T: BinaryFloatingPoint>(_ scores: [T]) -> Int {
        var best = 0
        for i in scores.indices.dropFirst() {
            if self == .argmax ? scores[i] > scores[best] : scores[i] < scores[best] { best = i }
        }
        return best
    }
}
