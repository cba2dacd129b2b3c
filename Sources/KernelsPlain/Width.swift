/// The plain path: baseline x86-64 (SSE2) or the platform's default; no
/// fused multiply-add, because without FMA code generation `addingProduct`
/// becomes one libm `fmaf` call per lane.

/// The vector the kernels' wide loops use.
typealias VF = SIMD8<Float>
/// Integer lanes of the same width (exponent bit tricks in `fastExp`).
typealias VI = SIMD8<Int32>

/// acc + a·b, lane-wise.
@inline(__always)
func madd(_ acc: VF, _ a: VF, _ b: VF) -> VF { acc + a * b }

/// acc + a·b for the eight-wide helpers (`dot`, `axpy`).
@inline(__always)
func madd8(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
  acc + a * b
}

/// Rows per matmul register tile.
let gemmRowTile = 6
