/// Whether the compressed classifier decides like the original on a whole input box.
public enum DecisionEquivalence: Sendable, Hashable {
    /// Proved: for every input of the box, the compressed network's class is the original's.
    case proved
    /// Refuted at `input`: the original decides `originalClass`, the compressed network `compressedClass`
    /// (confirmed by Float64 and Float32 forward passes of both networks, and their stored models if given).
    case refuted(input: [Double], originalClass: Int, compressedClass: Int)
    /// Neither proved nor refuted within the limits.
    case undecided(reason: String)
}
