import Tensor

/// Seeded mutations of model and property files, shared by the fuzz tests (ONNX importer, VNN-LIB parser, the
/// whole `verify` pipeline). Every function draws from the caller's ``SplitMix64`` only, so a seed replays.
public enum Mutator {
    /// Snippets inserted into VNN-LIB text: syntax fragments, undeclared names, extreme numbers, odd bytes.
    public static let snippets: [[UInt8]] = [
        "(", ")", "[", "]", ",", "\"", ";", "X_99", "Y_0", "1e", "-", "*", "(* X_0 X_0)", "(or ", "(and ",
        "<2.0>", "(vnnlib-version <2.0>)", "(assert ", "==", "!=", "X[0,0]", ".5", "1e400", "\u{0}", "é",
    ].map { Array($0.utf8) }

    /// Numbers substituted for a numeric token of a VNN-LIB file: zeros, Float32 and Float64 extremes,
    /// subnormals, values that underflow or overflow when parsed, and a tie between bounds.
    public static let extremeNumbers: [[UInt8]] = [
        "0", "-0.0", "1e-45", "1.4e-46", "1e-320", "-2e-310", "1e-400", "3.4028235e38", "3.5e38", "1e308",
        "-1e308", "1e16", "-1e16", "1.0000001", "0.99999994", "123456789012345678901234567890",
    ].map { Array($0.utf8) }

    /// 1 to 5 binary edits (byte overwrite, bit flip, truncation, insertion, deletion), as suits protobuf bytes.
    public static func mutateBinary(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        for _ in 0...(rng.next() % 4) {
            let position = Int(rng.next() % UInt64(max(bytes.count, 1)))
            switch rng.next() % 5 {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            case 1 where !bytes.isEmpty: bytes[position] ^= 1 << (rng.next() % 8)
            case 2: bytes.removeLast(min(bytes.count, Int(rng.next() % 64)))
            case 3:
                bytes.insert(
                    contentsOf: (0..<Int(rng.next() % 8 + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next()) },
                    at: position)
            default:
                if !bytes.isEmpty {
                    bytes.removeSubrange(position..<min(bytes.count, position + Int(rng.next() % 8 + 1)))
                }
            }
        }
    }

    /// One textual edit: byte overwrite, truncation, token swap, parenthesis deletion/duplication, snippet
    /// insertion, deletion of a run of bytes.
    public static func mutateText(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0:
            bytes[at] = UInt8.random(in: 0...255, using: &rng)
        case 1:
            bytes.removeSubrange(at...)
        case 2:
            let parens = bytes.indices.filter { bytes[$0] == UInt8(ascii: "(") || bytes[$0] == UInt8(ascii: ")") }
            if let p = parens.randomElement(using: &rng) { bytes.remove(at: p) }
        case 3:
            let parens = bytes.indices.filter { bytes[$0] == UInt8(ascii: "(") || bytes[$0] == UInt8(ascii: ")") }
            if let p = parens.randomElement(using: &rng) {
                bytes.insert(contentsOf: [UInt8](repeating: bytes[p], count: Int.random(in: 1...3, using: &rng)), at: p)
            }
        case 4:
            bytes.insert(contentsOf: snippets.randomElement(using: &rng)!, at: at)
        case 5:
            // Swap two whitespace-separated tokens.
            let pieces = bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map(Array.init)
            guard pieces.count > 1 else { return }
            var shuffled = pieces
            let i = Int.random(in: 0..<pieces.count, using: &rng)
            let j = Int.random(in: 0..<pieces.count, using: &rng)
            shuffled.swapAt(i, j)
            bytes = Array(shuffled.joined(separator: [UInt8(ascii: " ")]))
        default:
            let length = Int.random(in: 1...16, using: &rng)
            bytes.removeSubrange(at..<min(bytes.count, at + length))
        }
    }

    /// One edit of the numbers of a VNN-LIB text, which keeps it parseable more often than ``mutateText(_:using:)``:
    /// replace a number by an extreme one, negate it, or swap two numbers (which can invert a box).
    public static func mutateNumbers(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        let numbers = numberRanges(in: bytes)
        guard let target = numbers.randomElement(using: &rng) else { return }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            bytes.replaceSubrange(target, with: extremeNumbers.randomElement(using: &rng)!)
        case 1:
            if bytes[target.lowerBound] == UInt8(ascii: "-") {
                bytes.remove(at: target.lowerBound)
            } else {
                bytes.insert(UInt8(ascii: "-"), at: target.lowerBound)
            }
        default:
            let other = numbers.randomElement(using: &rng)!
            guard other != target else { return }
            let (first, second) = target.lowerBound < other.lowerBound ? (target, other) : (other, target)
            let a = Array(bytes[first]), b = Array(bytes[second])
            bytes.replaceSubrange(second, with: a)
            bytes.replaceSubrange(first, with: b)
        }
    }

    /// The ranges of numeric tokens (an optional `-`, then a digit or `.`, then digits, `.`, `e`, `E`, `+`, `-`)
    /// that start after whitespace or a parenthesis.
    static func numberRanges(in bytes: [UInt8]) -> [Range<Int>] {
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func isNumberByte(_ b: UInt8) -> Bool { isDigit(b) || b == UInt8(ascii: ".") || "eE+-".utf8.contains(b) }
        var ranges: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            let startsToken = i == 0 || " \t\n\r(".utf8.contains(bytes[i - 1])
            var j = i
            if startsToken, bytes[j] == UInt8(ascii: "-") { j += 1 }
            if startsToken, j < bytes.count, isDigit(bytes[j]) || bytes[j] == UInt8(ascii: ".") {
                while j < bytes.count, isNumberByte(bytes[j]) { j += 1 }
                ranges.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return ranges
    }
}
