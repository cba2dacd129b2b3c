extension TinyTransformer {
  /// GPT-2's initialisation: weights N(0, 0.02), each block's output
  /// projections scaled by 1/√(2L), LayerNorm gains one, biases zero.
  public func initialiseWeights(seed: UInt64) {
    var rng = ModelRNG(seed: seed)
    let p = params.base
    for i in 0..<layout.count { p[i] = 0 }
    let std = 0.02
    let small = std / (2 * Double(config.layers)).squareRoot()
    for range in [layout.wte, layout.wpe] + layout.matrices {
      let s = layout.branchOutputs.contains(range) ? small : std
      for i in range { p[i] = Float(rng.normal() * s) }
    }
    for range in layout.gains {
      for i in range { p[i] = 1 }
    }
  }

  /// Which parameters receive weight decay (the block matrices).
  public var decayMask: [Bool] {
    var mask = [Bool](repeating: false, count: layout.count)
    for range in layout.matrices {
      for i in range { mask[i] = true }
    }
    return mask
  }
}
