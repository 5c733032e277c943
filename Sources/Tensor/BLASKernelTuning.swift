import Foundation

/// Picks OpenBLAS's kernels for this CPU where OpenBLAS itself fell back to its generic x86-64 ones.
///
/// A `DYNAMIC_ARCH` OpenBLAS chooses its kernels by CPU model when it loads. A model newer than the library
/// (Debian 12's OpenBLAS 0.3.21 on Intel's Sapphire and Emerald Rapids, for instance) falls back to the
/// SSE3 kernels of the Pentium 4 ("Prescott"): matrix products then run at a fraction of the speed the CPU's
/// AVX-512 units give. On such a machine (Xeon model 207) `cifar_base_kw img8194` verified in 9.6 s with
/// them and in 6.7 s with OpenBLAS's SkylakeX kernels, same nodes and verdict (docs/benchmarks.md). This
/// chooses from the CPU's feature flags instead, much as newer OpenBLAS releases do for a CPU they cannot name:
/// AVX-512 → SkylakeX (the double-precision kernels of every AVX-512 set), AVX2 with FMA → Haswell, AVX →
/// Sandybridge. A user's own
/// `OPENBLAS_CORETYPE` always wins, and a CPU OpenBLAS recognised keeps its choice.
///
/// Kernels change speed, never results beyond rounding: every bound nncert reports carries its own
/// rounding margins (``SoundnessMargins``), whatever the order of a product's summation.
public enum BLASKernelTuning {
    /// The kernel set for a CPU with these `/proc/cpuinfo` flags, or nil when OpenBLAS's generic kernels fit.
    public static func kernels(forFlags flags: Set<Substring>) -> String? {
        let avx512 = ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy { flags.contains(Substring($0)) }
        if avx512 { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// Applies the choice when OpenBLAS runs its generic kernels, `OPENBLAS_CORETYPE` is not set and the CPU
    /// supports better ones; returns the kernel set OpenBLAS runs afterwards. Call it first thing in `main`,
    /// before any matrix product and before other threads start (``BLAS/selectKernels(named:)``).
    @discardableResult
    public static func applyForThisCPU(cpuInfo path: String = "/proc/cpuinfo") -> String {
        let current = BLAS.kernelName
        guard current.lowercased() == "prescott", ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let data = try? FileContents.read(atPath: path),
              let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first(where: {
                  $0.hasPrefix("flags")
              }),
              let colon = line.firstIndex(of: ":"),
              let choice = kernels(forFlags: Set(line[line.index(after: colon)...].split(separator: " ")))
        else { return current }
        _ = BLAS.selectKernels(named: choice)
        return BLAS.kernelName
    }
}
