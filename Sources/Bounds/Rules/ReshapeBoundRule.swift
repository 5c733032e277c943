import Tensor

/// Bound rules of a reshape: the identity on the flat row-major data.
struct ReshapeBoundRule: AffineBoundRule {
    let count: Int
    var inputCount: Int { count }
    var outputCount: Int { count }
    var bias: [Double] { [Double](repeating: 0, count: count) }

    func backward(_ lambda: Matrix) -> Matrix { lambda }
    func forward(_ g: Matrix) -> Matrix { g }
    func absoluteForward(_ v: [Double]) -> [Double] { v }
}
