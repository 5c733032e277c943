#if canImport(CMalloc)
internal import CMalloc
#endif

/// Process-wide settings of the C allocator, applied once when `nncert` starts.
///
/// Bound propagation and the GNN allocate and free matrices of a few to tens of megabytes many times a second.
/// glibc serves blocks above its mmap threshold (128 KiB at first, raised only as such blocks are freed) with
/// fresh pages from the kernel, and returns them on `free`: every large matrix then costs page faults and the
/// kernel's zeroing of its pages. Keeping blocks up to 256 MiB in the heap (and trimming the heap only when
/// 512 MiB at its top are free) makes them reusable: on `cifar_base_kw` BaBSR ran 5–20% more nodes in 20 s, with
/// system time down from 0.9 s to 0.2 s, and the GNN's scoring alone took 1.4× less time (docs/benchmarks.md).
/// Only the command line sets this; a program that uses the library tunes its own allocator.
enum AllocatorTuning {
    /// Applies the settings (nothing where glibc's `malloc.h` is not available).
    static func keepLargeBlocksInHeap() {
        #if canImport(CMalloc)
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }
}
