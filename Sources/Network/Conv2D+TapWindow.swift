extension Conv2D {
    /// The output positions one filter tap `(c, u, v)` reads a real input at (not padding), as a rectangle, and
    /// where it reads: position `(i, j)` of the rectangle reads input index `origin + i·rowStride + j·columnStride`.
    ///
    /// The im2col gather and the transposed convolution's scatter walk these rectangles with fixed strides
    /// instead of looking every (tap, position) up in ``taps`` and skipping padding one entry at a time.
    struct TapWindow: Sendable, Hashable {
        /// The valid output rows.
        var rows: Range<Int>
        /// The valid output columns.
        var columns: Range<Int>
        /// The input index read at output position `(0, 0)` (outside the input when that position is padding;
        /// only positions inside the rectangle are ever read).
        var origin: Int
    }

    /// One ``TapWindow`` per filter tap, tap-major as ``taps`` (made once, by the initialiser, as ``windows``).
    func tapWindows() -> [TapWindow] {
        var out: [TapWindow] = []
        out.reserveCapacity(tapsPerPosition)
        for c in 0..<inputChannels {
            for u in 0..<kernelHeight {
                for v in 0..<kernelWidth {
                    let top = u * dilationHeight - pads[0], left = v * dilationWidth - pads[1]
                    let rows = Self.validOutputs(offset: top, stride: strideHeight, extent: inputHeight, count: outputHeight)
                    let columns = Self.validOutputs(offset: left, stride: strideWidth, extent: inputWidth, count: outputWidth)
                    out.append(TapWindow(rows: rows, columns: columns, origin: (c * inputHeight + top) * inputWidth + left))
                }
            }
        }
        return out
    }

    /// The outputs `i` in `0 ..< count` whose input coordinate `offset + i·stride` lies in `0 ..< extent` (a
    /// contiguous range, possibly empty).
    private static func validOutputs(offset: Int, stride: Int, extent: Int, count: Int) -> Range<Int> {
        let inside = (0..<count).filter { (0..<extent).contains(offset + $0 * stride) }
        guard let first = inside.first, let last = inside.last else { return 0..<0 }
        return first..<(last + 1)
    }

    /// Calls `body(inputOffset, columnOffset, count)` once per output row of window `w`: the row's first valid
    /// position reads input index `inputOffset` (then every `strideWidth`-th) and sits at `columnOffset` in a
    /// column-matrix row, for `count` positions. The walk the gather and the scatter share.
    @inline(__always)
    private func forEachRun(of w: TapWindow, _ body: (Int, Int, Int) -> Void) {
        let ow = outputWidth, rowStride = strideHeight &* inputWidth
        let first = w.columns.lowerBound, count = w.columns.count
        guard count > 0 else { return }
        for i in w.rows { body(w.origin &+ i &* rowStride &+ first &* strideWidth, i &* ow &+ first, count) }
    }

    /// Adds column-matrix row `column` (one value per output position, row-major `oh × ow`) into input row `row`
    /// at the positions window `w` reads: the transposed convolution's scatter of one tap.
    @inline(__always)
    func scatter(_ column: UnsafePointer<Double>, into row: UnsafeMutablePointer<Double>, window w: TapWindow) {
        let step = strideWidth
        forEachRun(of: w) { inputOffset, columnOffset, count in
            var source = column + columnOffset, target = row + inputOffset
            for _ in 0..<count {
                target.pointee += source.pointee
                source += 1
                target += step
            }
        }
    }

    /// Copies the input row `row`'s values at the positions window `w` reads into column-matrix row `column`
    /// (which stays zero elsewhere, where the tap reads padding): the im2col gather of one tap.
    @inline(__always)
    func gather(_ row: UnsafePointer<Double>, into column: UnsafeMutablePointer<Double>, window w: TapWindow) {
        let step = strideWidth
        forEachRun(of: w) { inputOffset, columnOffset, count in
            var source = row + inputOffset, target = column + columnOffset
            for _ in 0..<count {
                target.pointee = source.pointee
                source += step
                target += 1
            }
        }
    }
}
