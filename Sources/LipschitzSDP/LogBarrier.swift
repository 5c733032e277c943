import Foundation
import Tensor

/// The log barrier both interior-point solvers minimise over x = (ρ, multipliers…):
///
///     ρ/μ − log det C(x) − Σ log x_i(U − x_i)
///
/// for a cone matrix C(x) that must stay positive definite (−M for ``InteriorPointSolver``, F for
/// ``ReducedInteriorPointSolver``) and a ceiling U on the multipliers. It is +∞ outside the interior, so a line
/// search on it keeps every iterate strictly feasible. The solvers supply C's Cholesky factor and the derivatives
/// of −log det C; the multipliers' barrier terms, the Newton system and the line search are here.
struct LogBarrier {
    /// U.
    let ceiling: Double
    /// The Cholesky factor of C(x), nil when C(x) is not positive definite.
    let factor: ([Double]) -> DenseCholesky?

    /// The barrier at `x` for `mu`, +∞ outside the interior.
    func value(_ x: [Double], mu: Double) -> Double {
        guard x.dropFirst().allSatisfy({ $0 > 0 && $0 < ceiling }), let f = factor(x) else { return .infinity }
        return value(x, factor: f, mu: mu)
    }

    /// The barrier at an interior `x` whose C has the Cholesky factor `f`.
    func value(_ x: [Double], factor f: DenseCholesky, mu: Double) -> Double {
        var value = x[0] / mu
        for i in 0..<f.lower.rows { value -= 2 * log(f.lower[i, i]) }
        for v in x.dropFirst() { value -= log(v) + log(ceiling - v) }
        return value.isNaN ? .infinity : value
    }

    /// The Newton direction and decrement at `x` for `mu`, from the gradient and Hessian of −log det C: the
    /// objective's 1/μ and the multipliers' barrier terms are added, and the system is solved by Cholesky after
    /// Jacobi scaling (the multipliers span many decades). Nil when it does not factor or the result is not finite.
    func newtonDirection(_ x: [Double], mu: Double, gradient: [Double], hessian: Matrix)
        -> (direction: [Double], decrement: Double)?
    {
        var gradient = gradient, hessian = hessian
        gradient[0] += 1 / mu
        for i in 1..<x.count {
            let room = ceiling - x[i]
            gradient[i] += 1 / room - 1 / x[i]
            hessian[i, i] += 1 / (x[i] * x[i]) + 1 / (room * room)
        }
        let m = x.count
        let d = (0..<m).map { 1 / max(hessian[$0, $0], Double.leastNormalMagnitude).squareRoot() }
        for i in 0..<m { for j in 0..<m { hessian[i, j] *= d[i] * d[j] } }
        guard let h = DenseCholesky(hessian),
              let y = h.solveLower(Matrix(rows: m, columns: 1, storage: (0..<m).map { -gradient[$0] * d[$0] }))
        else { return nil }
        let decrement = y.storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let z = h.solveUpper(y.storage)
        let direction = (0..<m).map { z[$0] * d[$0] }
        guard direction.allSatisfy(\.isFinite), decrement.isFinite else { return nil }
        return (direction, decrement)
    }

    /// The longest step 2⁻ᵏ ≤ 1 along `direction` that stays inside and lowers the barrier from `current` (its
    /// value at `x`) by at least a hundredth of the linear prediction (`slope` = gradient · direction = −λ²); 0
    /// when none does.
    func lineSearch(_ x: [Double], _ direction: [Double], from current: Double, slope: Double, mu: Double) -> Double {
        var length = 1.0
        for _ in 0..<60 {
            let y = zip(x, direction).map { $0 + length * $1 }
            if value(y, mu: mu) <= current + 0.01 * length * slope { return length }
            length /= 2
        }
        return 0
    }
}
