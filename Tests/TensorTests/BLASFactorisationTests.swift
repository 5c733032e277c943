import Tensor
import Testing

/// LAPACK's blocked Cholesky and BLAS's triangular solve, as the Lipschitz certification uses them.
@Suite struct BLASFactorisationTests {
    /// A random symmetric positive definite n × n matrix: B Bᵀ + n·I.
    static func positiveDefinite(_ n: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        let b = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &rng) }
        var a = [Double](repeating: 0, count: n * n)
        BLAS.gemm(m: n, n: n, k: n, a: b, transposeA: false, b: b, transposeB: true, c: &a)
        for i in 0..<n { a[i * n + i] += Double(n) }
        return a
    }

    /// L Lᵀ reproduces A across several blocks (and a ragged last block); the upper triangle is not read.
    @Test(arguments: [1, 7, 64, 150])
    func factorReproducesTheMatrix(n: Int) {
        let a = Self.positiveDefinite(n, seed: UInt64(n))
        var l = a
        for i in 0..<n { for k in (i + 1)..<max(i + 1, n) { l[i * n + k] = .nan } }  // never read
        #expect(BLAS.choleskyLower(&l, n: n, blockSize: 32))
        for i in 0..<n { for k in (i + 1)..<max(i + 1, n) { l[i * n + k] = 0 } }
        var product = [Double](repeating: 0, count: n * n)
        BLAS.gemm(m: n, n: n, k: n, a: l, transposeA: false, b: l, transposeB: true, c: &product)
        let worst = zip(product, a).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-10 * Double(n), "max |L Lᵀ − A| = \(worst)")
    }

    /// An indefinite matrix, a NaN and a request to stop all prove nothing.
    @Test func failuresProveNothing() {
        let n = 80
        var indefinite = Self.positiveDefinite(n, seed: 3)
        indefinite[70 * n + 70] = -1e6  // a negative pivot in the third block
        #expect(!BLAS.choleskyLower(&indefinite, n: n, blockSize: 32))
        var poisoned = Self.positiveDefinite(n, seed: 4)
        poisoned[50 * n + 10] = .nan  // lower triangle: dpotrf itself would let it through
        #expect(!BLAS.choleskyLower(&poisoned, n: n, blockSize: 32))
        var stopped = Self.positiveDefinite(n, seed: 5)
        #expect(!BLAS.choleskyLower(&stopped, n: n, blockSize: 32, shouldStop: { true }))
    }

    /// L X = B, solved a block of columns at a time.
    @Test func triangularSolveInvertsTheFactor() {
        let n = 90, m = 37
        var l = Self.positiveDefinite(n, seed: 6)
        #expect(BLAS.choleskyLower(&l, n: n))
        for i in 0..<n { for k in (i + 1)..<n { l[i * n + k] = 0 } }
        var rng = SplitMix64(seed: 7)
        let b = (0..<(n * m)).map { _ in Double.random(in: -1...1, using: &rng) }
        var x = b
        #expect(BLAS.solveLowerTriangular(l, n: n, &x, columns: m, columnBlock: 10))
        var back = [Double](repeating: 0, count: n * m)
        BLAS.gemm(m: n, n: m, k: n, a: l, transposeA: false, b: x, transposeB: false, c: &back)
        #expect((zip(back, b).map { abs($0 - $1) }.max() ?? 0) <= 1e-12)
        var cut = b
        #expect(!BLAS.solveLowerTriangular(l, n: n, &cut, columns: m, columnBlock: 10, shouldStop: { true }))
    }

    /// The symmetric rank-k products equal the general ones: `gram` in full, `subtractGram` on the lower triangle
    /// (the upper one untouched).
    @Test func gramProductsMatchGeneralProducts() {
        var rng = SplitMix64(seed: 8)
        let y = Matrix(rows: 23, columns: 17, storage: (0..<(23 * 17)).map { _ in Double.random(in: -1...1, using: &rng) })
        let general = y.transposeMultiplied(by: y)
        #expect(zip(y.gram().storage, general.storage).allSatisfy { abs($0 - $1) <= 1e-12 })
        var c = Matrix(rows: 17, columns: 17, storage: (0..<(17 * 17)).map { _ in Double.random(in: -1...1, using: &rng) })
        let before = c
        y.subtractGram(fromLowerTriangleOf: &c)
        for r in 0..<17 {
            for k in 0..<17 {
                let expected = k <= r ? before[r, k] - general[r, k] : before[r, k]
                #expect(abs(c[r, k] - expected) <= 1e-12)
            }
        }
    }

    /// OpenBLAS kernels from /proc/cpuinfo flags: AVX-512 → SkylakeX, AVX2+FMA → Haswell, AVX → Sandybridge.
    @Test func kernelsFollowTheCPUFlags() {
        func flags(_ s: String) -> Set<Substring> { Set(s.split(separator: " ")) }
        #expect(BLASKernelTuning.kernels(forFlags: flags("sse4_2 avx avx2 fma avx512f avx512dq avx512bw avx512vl")) == "SkylakeX")
        #expect(BLASKernelTuning.kernels(forFlags: flags("sse4_2 avx avx2 fma avx512f")) == "Haswell")
        #expect(BLASKernelTuning.kernels(forFlags: flags("sse4_2 avx avx2 fma")) == "Haswell")
        #expect(BLASKernelTuning.kernels(forFlags: flags("sse4_2 avx")) == "Sandybridge")
        #expect(BLASKernelTuning.kernels(forFlags: flags("sse2 sse3")) == nil)
        // Without a readable cpuinfo nothing changes (and the test process's kernels are never swapped here).
        let before = BLAS.kernelName
        #expect(BLASKernelTuning.applyForThisCPU(cpuInfo: "/nonexistent/cpuinfo") == before)
    }
}
