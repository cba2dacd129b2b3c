/// The shape of a tiny transformer.
public struct ModelConfig: Sendable, Equatable, Codable {
  /// Token ids (the tokenizer's vocabulary).
  public var vocab: Int
  /// Longest sequence (positions) the model sees.
  public var context: Int
  /// Channels (embedding width).
  public var dim: Int
  /// Transformer blocks.
  public var layers: Int
  /// Attention heads (must divide `dim`).
  public var heads: Int

  /// The default model, sized for a 2-core CPU (see README: a preference step
  /// of 16 pairs runs in well under a second).
  public static let standard = ModelConfig(
    vocab: Tokenizer.standard.vocabSize, context: 128, dim: 96, layers: 3, heads: 4)

  /// Creates a configuration.
  public init(vocab: Int, context: Int, dim: Int, layers: Int, heads: Int) {
    self.vocab = vocab
    self.context = context
    self.dim = dim
    self.layers = layers
    self.heads = heads
  }

  /// Why this shape cannot be built, or nil when it can.
  public var problem: String? {
    if vocab < 5 || vocab > 1 << 20 { return "vocab \(vocab) is outside 5...1048576" }
    if context < 8 || context > 4096 { return "context \(context) is outside 8...4096" }
    if dim < 4 || dim > 2048 { return "dim \(dim) is outside 4...2048" }
    if layers < 1 || layers > 64 { return "layers \(layers) is outside 1...64" }
    if heads < 1 || dim % heads != 0 { return "heads \(heads) must divide dim \(dim)" }
    return nil
  }
}
