import Foundation

/// `config.json` and `generation_config.json` of the exported model:
/// transformers' GPT-2 with every choice that differs from its defaults (or
/// that the loader would otherwise guess) written out.
enum GPT2Config {
  /// The transformers version whose config keys these are (checked with it).
  static let transformersVersion = "5.25.0"

  /// `config.json` for a model of `config`.
  static func json(_ config: ModelConfig) -> String {
    let fields: [(String, String)] = [
      ("architectures", "[\"GPT2LMHeadModel\"]"),
      ("model_type", "\"gpt2\""),
      ("vocab_size", "\(config.vocab)"),
      ("n_positions", "\(config.context)"),
      ("n_embd", "\(config.dim)"),
      ("n_layer", "\(config.layers)"),
      ("n_head", "\(config.heads)"),
      // dpotop's MLP is always 4·dim wide (ParameterLayout).
      ("n_inner", "\(4 * config.dim)"),
      // GELU's tanh approximation, as dpotop's kernel computes it.
      ("activation_function", "\"gelu_new\""),
      ("layer_norm_epsilon", "1e-05"),
      // Scores scaled by 1/sqrt(head size), nothing more.
      ("scale_attn_weights", "true"),
      ("scale_attn_by_inverse_layer_idx", "false"),
      ("reorder_and_upcast_attn", "false"),
      ("tie_word_embeddings", "true"),
      // dpotop trains without dropout; the exported model has none either.
      ("resid_pdrop", "0.0"),
      ("embd_pdrop", "0.0"),
      ("attn_pdrop", "0.0"),
      ("initializer_range", "0.02"),
      ("bos_token_id", "\(Tokenizer.bos)"),
      ("eos_token_id", "\(Tokenizer.eos)"),
      ("pad_token_id", "\(Tokenizer.pad)"),
      ("use_cache", "true"),
      ("dtype", "\"float32\""),
      ("transformers_version", "\"\(transformersVersion)\""),
    ]
    return object(fields)
  }

  /// `generation_config.json`: greedy decoding that stops at the end token,
  /// as dpotop's evaluation decodes.
  static func generationJSON() -> String {
    object([
      ("bos_token_id", "\(Tokenizer.bos)"),
      ("eos_token_id", "\(Tokenizer.eos)"),
      ("pad_token_id", "\(Tokenizer.pad)"),
      ("do_sample", "false"),
      ("max_new_tokens", "\(TaskAccuracy.maxTokens)"),
      ("transformers_version", "\"\(transformersVersion)\""),
    ])
  }

  /// A JSON object with `fields` in order, one per line.
  static func object(_ fields: [(String, String)]) -> String {
    "{\n" + fields.map { "  \(jsonString($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
  }
}
