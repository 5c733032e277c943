import Tensor

/// Convolution of many vectors at once as matrix products (im2col): the hot path of bound propagation through
/// convolutional networks, where back-substitution applies the transposed convolution to every row of a
/// coefficient matrix.
///
/// With `K = C·kh·kw` filter taps and `P = oh·ow` output positions, the filters are the `outputChannels × K`
/// matrix `W` (their row-major storage as it is). A block of `B` input rows is gathered into the `K × B·P`
/// column matrix (zero where a tap reads padding), multiplied by `W` in one BLAS product, and scattered back; the
/// transposed convolution multiplies by `Wᵀ` and adds each column entry into the input position it came from.
/// Blocks keep the column matrix near ``im2colBlockElements`` entries.
extension Conv2D {
    /// Row `r` of the result is the linear part applied to row `r` of `x` (`rows × inputCount` →
    /// `rows × outputCount`), as ``applyLinear(_:)`` computes it, through BLAS.
    public func applyLinear(rows x: Matrix) -> Matrix {
        precondition(x.columns == inputCount, "conv input size")
        let k = tapsPerPosition, p = positions
        var out = Matrix(rows: x.rows, columns: outputCount)
        forEachBlock(rows: x.rows) { first, count in
            let width = count * p
            var columns = [Double](repeating: 0, count: k * width)
            x.storage.withUnsafeBufferPointer { px in
                columns.withUnsafeMutableBufferPointer { pc in
                    for b in 0..<count {
                        let row = px.baseAddress! + (first + b) * inputCount
                        for t in 0..<k { gather(row, into: pc.baseAddress! + t * width + b * p, window: windows[t]) }
                    }
                }
            }
            var product = Self.scratch(count: outputChannels * width)  // every group writes its rows in full
            groupProducts(width: width) { (m, kg, w, col, out) in
                BLAS.gemm(m: m, n: width, k: kg, a: weights, w, transposeA: false, b: columns, col, c: &product, out)
            }
            out.storage.withUnsafeMutableBufferPointer { po in
                product.withUnsafeBufferPointer { pp in
                    forEachChannelSpan(first: first, count: count) { row, block in
                        (po.baseAddress! + row).update(from: pp.baseAddress! + block, count: p)
                    }
                }
            }
        }
        return out
    }

    /// Row `r` of the result is the transposed convolution of row `r` of `y` (`rows × outputCount` →
    /// `rows × inputCount`), as ``applyLinearTransposed(_:)`` computes it, through BLAS.
    public func applyLinearTransposed(rows y: Matrix) -> Matrix {
        precondition(y.columns == outputCount, "conv output size")
        let k = tapsPerPosition, p = positions
        var out = Matrix(rows: y.rows, columns: inputCount)
        forEachBlock(rows: y.rows) { first, count in
            let width = count * p
            // Both buffers are overwritten in full (the copy below, then the product) before they are read.
            var gathered = Self.scratch(count: outputChannels * width)
            y.storage.withUnsafeBufferPointer { py in
                gathered.withUnsafeMutableBufferPointer { pg in
                    forEachChannelSpan(first: first, count: count) { row, block in
                        (pg.baseAddress! + block).update(from: py.baseAddress! + row, count: p)
                    }
                }
            }
            var columns = Self.scratch(count: k * width)
            groupProducts(width: width) { (m, kg, w, col, out) in
                BLAS.gemm(m: kg, n: width, k: m, a: weights, w, transposeA: true, b: gathered, out, c: &columns, col)
            }
            out.storage.withUnsafeMutableBufferPointer { po in
                columns.withUnsafeBufferPointer { pc in
                    for b in 0..<count {
                        let row = po.baseAddress! + (first + b) * inputCount
                        for t in 0..<k { scatter(pc.baseAddress! + t * width + b * p, into: row, window: windows[t]) }
                    }
                }
            }
        }
        return out
    }

    /// The linear part applied to `q` vectors stored node-major, `x[i·q + c]` being entry `i` of vector `c`
    /// (`inputCount × q` → `outputCount × q`, the same layout): the layout of a GNN's embeddings, whose `q`
    /// channels are the vectors. The column matrix is gathered position-major, `q` contiguous values per (tap,
    /// output position), so the product's rows are the result's channel planes as they are.
    public func applyLinear(nodeMajor x: [Double], channels q: Int) -> [Double] {
        precondition(x.count == inputCount * q, "conv input size")
        let k = tapsPerPosition, p = positions
        var out = [Double](repeating: 0, count: outputCount * q)
        forEachPositionBlock(channels: q) { first, count in
            let width = count * q
            var columns = [Double](repeating: 0, count: k * width)
            x.withUnsafeBufferPointer { px in
                columns.withUnsafeMutableBufferPointer { pc in
                    taps.withUnsafeBufferPointer { pt in
                        for t in 0..<k {
                            let tap = pt.baseAddress! + t * p + first, column = pc.baseAddress! + t * width
                            for j in 0..<count where tap[j] >= 0 {
                                (column + j * q).update(from: px.baseAddress! + Int(tap[j]) * q, count: q)
                            }
                        }
                    }
                }
            }
            var product = [Double](repeating: 0, count: outputChannels * width)
            groupProducts(width: width) { (m, kg, w, col, o) in
                BLAS.gemm(m: m, n: width, k: kg, a: weights, w, transposeA: false, b: columns, col, c: &product, o)
            }
            out.withUnsafeMutableBufferPointer { po in
                product.withUnsafeBufferPointer { pp in
                    for o in 0..<outputChannels {
                        (po.baseAddress! + (o * p + first) * q).update(from: pp.baseAddress! + o * width, count: width)
                    }
                }
            }
        }
        return out
    }

    /// The transposed convolution of `q` vectors stored node-major (`outputCount × q` → `inputCount × q`), as
    /// ``applyLinear(nodeMajor:channels:)`` stores them.
    public func applyLinearTransposed(nodeMajor y: [Double], channels q: Int) -> [Double] {
        precondition(y.count == outputCount * q, "conv output size")
        let k = tapsPerPosition, p = positions
        var out = [Double](repeating: 0, count: inputCount * q)
        forEachPositionBlock(channels: q) { first, count in
            let width = count * q
            var gathered = [Double](repeating: 0, count: outputChannels * width)
            y.withUnsafeBufferPointer { py in
                gathered.withUnsafeMutableBufferPointer { pg in
                    for o in 0..<outputChannels {
                        (pg.baseAddress! + o * width).update(from: py.baseAddress! + (o * p + first) * q, count: width)
                    }
                }
            }
            var columns = [Double](repeating: 0, count: k * width)
            groupProducts(width: width) { (m, kg, w, col, o) in
                BLAS.gemm(m: kg, n: width, k: m, a: weights, w, transposeA: true, b: gathered, o, c: &columns, col)
            }
            out.withUnsafeMutableBufferPointer { po in
                columns.withUnsafeBufferPointer { pc in
                    taps.withUnsafeBufferPointer { pt in
                        for t in 0..<k {
                            let tap = pt.baseAddress! + t * p + first, column = pc.baseAddress! + t * width
                            for j in 0..<count where tap[j] >= 0 {
                                let target = po.baseAddress! + Int(tap[j]) * q, source = column + j * q
                                for c in 0..<q { target[c] += source[c] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Calls `body(filters, taps, weightBlock, columnBlock, outputBlock)` once per group: the group's
    /// `filters × taps` block of the filter matrix `W` (`outputChannels × C·kh·kw`), its `taps` rows of the column
    /// matrix and its `filters` rows of the output block (both `width` wide). One call over everything for a single
    /// group; for a grouped convolution the products skip the zeros outside each group (`groups` times less work).
    private func groupProducts(width: Int, _ body: (Int, Int, BLAS.Block, BLAS.Block, BLAS.Block) -> Void) {
        let k = tapsPerPosition, filters = outputChannels / groups, taps = k / groups
        for g in 0..<groups {
            body(filters, taps, BLAS.Block(offset: g * filters * k + g * taps, leading: k),
                 BLAS.Block(offset: g * taps * width, leading: width), BLAS.Block(offset: g * filters * width, leading: width))
        }
    }

    /// A buffer of `count` doubles left uninitialised, for products that overwrite every entry before any is
    /// read (zeroing it first showed up as a tenth of a CIFAR network's bound time).
    private static func scratch(count: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { _, initialised in initialised = count }
    }

    /// Entries of the column matrix per block (512 KB of doubles: the product's output is read back while it is
    /// still in the core's cache; 8 MB blocks made the scatter wait on memory).
    static var im2colBlockElements: Int { 1 << 16 }

    /// Entries of the node-major column matrix per block of output positions (8 MB of doubles: the GNN's
    /// products, whose scatter is position-major and contiguous, kept the larger block).
    static var nodeMajorBlockElements: Int { 1 << 20 }

    /// Filter taps per output position, `C·kh·kw`.
    var tapsPerPosition: Int { inputChannels * kernelHeight * kernelWidth }

    /// Output positions per channel, `oh·ow`.
    var positions: Int { outputHeight * outputWidth }

    /// The input index each (tap, output position) reads, tap-major (`K × P`), or −1 where it reads padding (made
    /// once, by the initialiser, as ``taps``).
    func tapTable() -> [Int32] {
        let ow = outputWidth, p = positions
        var table = [Int32](repeating: -1, count: tapsPerPosition * p)
        for c in 0..<inputChannels {
            for u in 0..<kernelHeight {
                for v in 0..<kernelWidth {
                    let t = (c * kernelHeight + u) * kernelWidth + v
                    for j in 0..<p {
                        let y = (j / ow) * strideHeight - pads[0] + u * dilationHeight
                        let x = (j % ow) * strideWidth - pads[1] + v * dilationWidth
                        guard y >= 0, y < inputHeight, x >= 0, x < inputWidth else { continue }
                        table[t * p + j] = Int32((c * inputHeight + y) * inputWidth + x)
                    }
                }
            }
        }
        return table
    }

    /// Calls `body(rowOffset, blockOffset)` for each output channel of each of the rows `first ..< first + count`:
    /// where that channel's `positions` values start in the row-major matrix (`rows × outputCount`) and in the
    /// channel-major block (`outputChannels × count·positions`) that the BLAS product reads or writes.
    private func forEachChannelSpan(first: Int, count: Int, _ body: (Int, Int) -> Void) {
        let p = positions, width = count * p
        for b in 0..<count {
            for o in 0..<outputChannels { body((first + b) * outputCount + o * p, o * width + b * p) }
        }
    }

    /// Calls `body(firstPosition, positionCount)` for consecutive blocks of output positions whose node-major column
    /// matrix (`q` channels) fits the block size.
    private func forEachPositionBlock(channels q: Int, _ body: (Int, Int) -> Void) {
        let block = Swift.max(1, Self.nodeMajorBlockElements / Swift.max(1, tapsPerPosition * q))
        var first = 0
        while first < positions {
            let count = Swift.min(block, positions - first)
            body(first, count)
            first += count
        }
    }

    /// Calls `body(firstRow, rowCount)` for consecutive blocks of rows whose column matrix fits the block size.
    private func forEachBlock(rows: Int, _ body: (Int, Int) -> Void) {
        let perRow = Swift.max(1, tapsPerPosition * positions)
        let block = Swift.max(1, Self.im2colBlockElements / perRow)
        var first = 0
        while first < rows {
            let count = Swift.min(block, rows - first)
            body(first, count)
            first += count
        }
    }
}
