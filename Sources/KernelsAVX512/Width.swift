/// The AVX-512 path (x86-64-v4): 512-bit vectors with fused multiply-add.

/// The vector the kernels' wide loops use.
typealias VF = SIMD16<Float>
/// Integer lanes of the same width (exponent bit tricks in `fastExp`).
typealias VI = SIMD16<Int32>

/// acc + a·b, lane-wise, fused.
@inline(__always)
func madd(_ acc: VF, _ a: VF, _ b: VF) -> VF { acc.addingProduct(a, b) }

/// acc + a·b for the eight-wide helpers (`dot`, `axpy`), fused.
@inline(__always)
func madd8(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
  acc.addingProduct(a, b)
}

/// Rows per matmul register tile (12 accumulators + 2 operands + 1 broadcast of 32 zmm).
let gemmRowTile = 6
