public import Comparison
public import Network
public import Tensor

/// How often two networks decide alike on inputs drawn uniformly from boxes: an estimate, not a guarantee (the
/// guarantees are the properties and the certified bounds), but the number teams look at first.
public enum DecisionAgreement {
    /// The fraction of `samples` inputs (spread evenly over `boxes`, uniform in each, seeded) on which `f` and `g`
    /// decide the same class under `rule`, with forward passes in Float64; nil when there are no boxes.
    public static func sample(
        _ f: Network, _ g: Network, over boxes: [Box], rule: DecisionRule, samples: Int, seed: UInt64
    ) -> Double? {
        guard !boxes.isEmpty, samples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var agree = 0, total = 0
        for (k, box) in boxes.enumerated() {
            let count = samples / boxes.count + (k < samples % boxes.count ? 1 : 0)
            for _ in 0..<count {
                let x = zip(box.lower, box.upper).map { lo, hi in
                    lo == hi ? lo : Double.random(in: lo...hi, using: &generator)
                }
                if rule.decide(f.evaluate(x)) == rule.decide(g.evaluate(x)) { agree += 1 }
                total += 1
            }
        }
        return total == 0 ? nil : Double(agree) / Double(total)
    }
}
