internal import CBLAS

/// The BLAS boundary: the only file that imports `CBLAS`.
///
/// All matrices are row-major and contiguous. OpenBLAS runs single-threaded: nncert parallelises at a coarser
/// grain (branch-and-bound workers), and OpenBLAS's own thread pool on top of that made a verification run idle
/// for most of its wall time (MNIST-FC 256x2 prop_0: 13 s wall with 1 s of CPU, 0.8 s single-threaded).
public enum BLAS {
    /// Sets OpenBLAS to one thread, once, before the first product.
    private static let singleThreaded: Void = { openblas_set_num_threads(1) }()

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
}
