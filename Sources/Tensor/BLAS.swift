internal import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// The BLAS boundary: the only file that imports `CBLAS` (OpenBLAS, with the LAPACK routines it ships).
///
/// All matrices are row-major and contiguous. OpenBLAS runs single-threaded: nncert parallelises at a coarser
/// grain (branch-and-bound workers), and OpenBLAS's own thread pool on top of that made a verification run idle
/// for most of its wall time (MNIST-FC 256x2 prop_0: 13 s wall with 1 s of CPU, 0.8 s single-threaded).
public enum BLAS {
    /// Sets OpenBLAS to one thread, once, before the first product.
    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    /// Lets OpenBLAS run each product on `count` threads (1 by default, see above). For a computation that is a
    /// sequence of large products with nothing else running beside it, such as a Lipschitz certificate; call it
    /// before that computation, not while other threads run products.
    public static func useThreads(_ count: Int) {
        _ = singleThreaded
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The name of the kernel set OpenBLAS runs ("Prescott", "Haswell", "SkylakeX", …; the name OpenBLAS gives).
    public static var kernelName: String { String(cString: openblas_get_corename()) }

    /// Runs OpenBLAS's kernel selection again, as if it had started with `OPENBLAS_CORETYPE=name` (the variable
    /// is set for the call and restored after it). Only for OpenBLAS built with `DYNAMIC_ARCH` (Debian's is),
    /// whose selection functions it finds at run time: elsewhere it does nothing and returns false. Call it
    /// before any other BLAS use, while no other thread runs (it swaps OpenBLAS's global kernel table and the
    /// process environment). Returns true when ``kernelName`` is `name` afterwards.
    public static func selectKernels(named name: String) -> Bool {
        #if canImport(Glibc)
        typealias Entry = @convention(c) () -> Void
        let everywhere = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
        guard let quit = dlsym(everywhere, "gotoblas_dynamic_quit"),
              let initialise = dlsym(everywhere, "gotoblas_dynamic_init")
        else { return false }
        let previous = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        setenv("OPENBLAS_CORETYPE", name, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialise, to: Entry.self)()
        if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        return kernelName.lowercased() == name.lowercased()
        #else
        return false
        #endif
    }

    /// `c ← op(a) · op(b)` where `op(a)` is `m × k` and `op(b)` is `k × n`; `c` is `m × n` and is overwritten.
    public static func gemm(
        m: Int, n: Int, k: Int, a: [Double], transposeA: Bool, b: [Double], transposeB: Bool, c: inout [Double]
    ) {
        precondition(c.count == m * n && a.count == m * k && b.count == k * n, "gemm size mismatch")
        gemm(
            m: m, n: n, k: k, a: a, Block(offset: 0, leading: transposeA ? m : k), transposeA: transposeA, b: b,
            Block(offset: 0, leading: transposeB ? k : n), transposeB: transposeB, c: &c, Block(offset: 0, leading: n))
    }

    /// A row-major matrix inside a larger buffer: its first element at `offset`, rows `leading` elements apart.
    public struct Block {
        /// Index of the first element in the buffer.
        public var offset: Int
        /// Distance between the starts of consecutive rows (the buffer's row length).
        public var leading: Int

        /// A block at `offset` in a buffer whose rows are `leading` long.
        public init(offset: Int, leading: Int) {
            self.offset = offset
            self.leading = leading
        }
    }

    /// ``gemm(m:n:k:a:transposeA:b:transposeB:c:)`` on blocks of larger buffers: `c[cBlock] ← op(a[aBlock]) ·
    /// op(b[bBlock])`, the rest of `c` untouched (a grouped convolution's product, one group at a time); with
    /// `accumulating`, `c[cBlock] += op(a[aBlock]) · op(b[bBlock])` instead.
    public static func gemm(
        m: Int, n: Int, k: Int, a: [Double], _ aBlock: Block, transposeA: Bool, b: [Double], _ bBlock: Block,
        transposeB: Bool = false, c: inout [Double], _ cBlock: Block, accumulating: Bool = false
    ) {
        let (aRows, aColumns) = transposeA ? (k, m) : (m, k)
        let (bRows, bColumns) = transposeB ? (n, k) : (k, n)
        precondition(
            (m == 0 || n == 0 || cBlock.offset + (m - 1) * cBlock.leading + n <= c.count && cBlock.leading >= n)
                && (aRows == 0 || aColumns == 0
                    || aBlock.offset + (aRows - 1) * aBlock.leading + aColumns <= a.count && aBlock.leading >= aColumns)
                && (bRows == 0 || bColumns == 0
                    || bBlock.offset + (bRows - 1) * bBlock.leading + bColumns <= b.count && bBlock.leading >= bColumns),
            "gemm block out of range")
        _ = singleThreaded
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulating { for r in 0..<m { for j in 0..<n { c[cBlock.offset + r * cBlock.leading + j] = 0 } } }
            return
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1.0, pa.baseAddress! + aBlock.offset, Int32(aBlock.leading),
                        pb.baseAddress! + bBlock.offset, Int32(bBlock.leading), accumulating ? 1.0 : 0.0,
                        pc.baseAddress! + cBlock.offset,
                        Int32(cBlock.leading))
                }
            }
        }
    }

    /// `c ← alpha · aᵀa + beta · c` on the lower triangle of the `n × n` matrix `c` (its upper triangle is left as
    /// it was), for `a` of shape `k × n`: BLAS's symmetric rank-k update (`dsyrk`), half the work of a general
    /// product. With `beta` 0, `c` need not be initialised.
    public static func syrkTransposed(n: Int, k: Int, alpha: Double, a: [Double], beta: Double, c: inout [Double]) {
        precondition(a.count == k * n && c.count == n * n, "syrk size mismatch")
        _ = singleThreaded
        if n == 0 { return }
        if k == 0 {
            for r in 0..<n { for j in 0...r { c[r * n + j] *= beta } }
            return
        }
        a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(
                    CblasRowMajor, CblasLower, CblasTrans, blasint(n), blasint(k), alpha, pa.baseAddress!, blasint(n),
                    beta, pc.baseAddress!, blasint(n))
            }
        }
    }

    /// `y ← op(a) · x` where `a` is stored `m × n` row-major; `op` is the transpose when `transpose` is set.
    public static func gemv(m: Int, n: Int, a: [Double], transpose: Bool, x: [Double], y: inout [Double]) {
        precondition(a.count == m * n, "gemv size mismatch")
        _ = singleThreaded
        precondition(x.count == (transpose ? m : n) && y.count == (transpose ? n : m), "gemv vector size mismatch")
        if y.isEmpty { return }
        if x.isEmpty {
            for i in y.indices { y[i] = 0 }
            return
        }
        a.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), 1.0, pa.baseAddress,
                        Int32(n), px.baseAddress, 1, 0.0, py.baseAddress, 1)
                }
            }
        }
    }
    /// Factors the symmetric `n × n` matrix `a` (row-major; only its lower triangle is read) in place into its
    /// Cholesky factor `L` (`a = L Lᵀ`, written to the lower triangle; the upper triangle is left as it was).
    /// Right-looking and blocked: LAPACK's `dpotrf` on each diagonal block of `blockSize`, then a triangular
    /// solve (`dtrsm`) for the panel below it and a symmetric rank-`blockSize` update (`dsyrk`) of the rest.
    /// `shouldStop` is asked between blocks. Returns false when a pivot is not positive or not finite (the
    /// matrix is not numerically positive definite) or when `shouldStop` said so; `a` is then partly factored.
    ///
    /// Every entry is the classic Cholesky recurrence evaluated in some order of summation, with the division by
    /// the pivot possibly done as a multiplication by its rounded reciprocal: one extra rounding, which callers
    /// that bound rounding errors (Higham, Theorem 10.3) must allow for (γ_{n+2} instead of γ_{n+1}).
    /// - Complexity: n³/3 multiply–adds.
    public static func choleskyLower(
        _ a: inout [Double], n: Int, blockSize: Int = 256, shouldStop: () -> Bool = { false }
    ) -> Bool {
        precondition(a.count == n * n && blockSize > 0, "cholesky size mismatch")
        _ = singleThreaded
        let factored: Bool = a.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return true }
            var k = 0
            while k < n {
                if shouldStop() { return false }
                let nb = min(blockSize, n - k), rest = n - k - nb
                let diagonal = base + k * n + k
                // Row-major lower = column-major upper: dpotrf's "U" factors exactly the block's lower triangle.
                var uplo = CChar(UInt8(ascii: "U")), order = blasint(nb), leading = blasint(n), info = blasint(0)
                dpotrf_(&uplo, &order, diagonal, &leading, &info)
                guard info == 0 else { return false }
                if rest > 0 {
                    let panel = base + (k + nb) * n + k
                    cblas_dtrsm(
                        CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, blasint(rest), blasint(nb),
                        1.0, diagonal, leading, panel, leading)
                    cblas_dsyrk(
                        CblasRowMajor, CblasLower, CblasNoTrans, blasint(rest), blasint(nb), -1.0, panel, leading, 1.0,
                        panel + nb, leading)
                }
                k += nb
            }
            return true
        }
        // dpotrf stops at a non-positive pivot but lets a NaN through: check every pivot.
        return factored && (0..<n).allSatisfy { a[$0 * n + $0] > 0 && a[$0 * n + $0].isFinite }
    }

    /// `b ← L⁻¹ b` for the lower-triangular `n × n` factor `l` (row-major, upper triangle ignored) and `b` of shape
    /// `n × columns` (forward substitution, `dtrsm`), `columnBlock` columns at a time with `shouldStop` asked
    /// between them. Returns false when `shouldStop` said so (`b` is then partly solved).
    public static func solveLowerTriangular(
        _ l: [Double], n: Int, _ b: inout [Double], columns: Int, columnBlock: Int = 512,
        shouldStop: () -> Bool = { false }
    ) -> Bool {
        precondition(l.count == n * n && b.count == n * columns && columnBlock > 0, "triangular solve size mismatch")
        _ = singleThreaded
        if n == 0 || columns == 0 { return true }
        return l.withUnsafeBufferPointer { pl in
            b.withUnsafeMutableBufferPointer { pb in
                var c = 0
                while c < columns {
                    if shouldStop() { return false }
                    let width = min(columnBlock, columns - c)
                    cblas_dtrsm(
                        CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, blasint(n), blasint(width),
                        1.0, pl.baseAddress!, blasint(n), pb.baseAddress! + c, blasint(columns))
                    c += width
                }
                return true
            }
        }
    }
}
