import Network
import Tensor

/// Bound rules of `y = s ⊙ x + t` (a diagonal linear map).
struct ElementwiseBoundRule: AffineBoundRule {
    let scale: [Double]
    let bias: [Double]

    init(_ e: ElementwiseAffine) {
        scale = e.scale
        bias = e.shift
    }

    var inputCount: Int { scale.count }
    var outputCount: Int { scale.count }

    func backward(_ lambda: Matrix) -> Matrix { scaleColumns(lambda) }
    func forward(_ g: Matrix) -> Matrix { scaleColumns(g) }
    func absoluteForward(_ v: [Double]) -> [Double] { (0..<v.count).map { Swift.abs(scale[$0]) * v[$0] } }

    private func scaleColumns(_ m: Matrix) -> Matrix {
        var out = m
        let n = scale.count
        out.storage.withUnsafeMutableBufferPointer { p in
            for r in 0..<m.rows { for j in 0..<n { p[r * n + j] *= scale[j] } }
        }
        return out
    }
}
