/// dpotop's character tokenizer as the files transformers'
/// `AutoTokenizer.from_pretrained` loads with no remote code: a
/// `tokenizer.json` for the `tokenizers` library, read by
/// `PreTrainedTokenizerFast`, and its `tokenizer_config.json`.
///
/// - model: WordLevel over the ids of `Tokenizer` (specials 0–3, then one
///   token per character), unknown text → `<unk>` (id 3);
/// - normalizer: `\r\n` → `\n` (dpotop reads a CRLF as one newline);
/// - pre-tokenizer: a split between every two characters, so each character
///   is one word and so one token;
/// - post-processor: `<s>` (BOS, id 1) before the text, as dpotop's trainer
///   puts it before every prompt, so `tokenizer(prompt + completion)` gives
///   dpotop's input ids by default; no EOS is added (a prompt must not end
///   with it): the scored sequence is those ids plus `</s>` (id 2), which
///   TRL's trainers append to every completion;
/// - decoder: the characters joined with nothing between them.
///
/// A text that spells a special token (`</s>`) is read as that token, as
/// transformers does by default: TRL appends `eos_token` to each completion
/// *as text*, and must get id 2 for it. dpotop reads such text as characters;
/// its built-in data never contains `<`.
enum HFTokenizerFiles {
  /// The special tokens' texts, by id (`</s>` is also the probes' end token).
  static let specials: [(id: Int32, text: String)] = [
    (Tokenizer.pad, "<pad>"), (Tokenizer.bos, "<s>"), (Tokenizer.eos, "</s>"),
    (Tokenizer.unk, "<unk>"),
  ]

  /// The text of special token `id`.
  static func special(_ id: Int32) -> String {
    specials.first { $0.id == id }?.text ?? "<unk>"
  }

  /// `tokenizer.json`.
  static func tokenizerJSON() -> String {
    let added = specials.map { s in
      "    {\"id\": \(s.id), \"content\": \(jsonString(s.text)), \"single_word\": false, "
        + "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}"
    }
    var vocab = specials.map { "      \(jsonString($0.text)): \($0.id)" }
    for (i, ch) in Tokenizer.characters.enumerated() {
      vocab.append("      \(jsonString(String(ch))): \(Tokenizer.specials + i)")
    }
    let bos = jsonString(special(Tokenizer.bos))
    return """
      {
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [
      \(added.joined(separator: ",\n"))
        ],
        "normalizer": {"type": "Replace", "pattern": {"String": "\\r\\n"}, "content": "\\n"},
        "pre_tokenizer": {"type": "Split", "pattern": {"String": ""}, "behavior": "Isolated", "invert": false},
        "post_processor": {
          "type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": \(bos), "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
          "pair": [{"SpecialToken": {"id": \(bos), "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}}],
          "special_tokens": {\(bos): {"id": \(bos), "ids": [\(Tokenizer.bos)], "tokens": [\(bos)]}}
        },
        "decoder": {"type": "Fuse"},
        "model": {
          "type": "WordLevel",
          "unk_token": \(jsonString(special(Tokenizer.unk))),
          "vocab": {
      \(vocab.joined(separator: ",\n"))
          }
        }
      }

      """
  }

  /// `tokenizer_config.json` for a model whose context is `context` tokens.
  static func configJSON(context: Int) -> String {
    GPT2Config.object([
      ("tokenizer_class", "\"PreTrainedTokenizerFast\""),
      ("bos_token", jsonString(special(Tokenizer.bos))),
      ("eos_token", jsonString(special(Tokenizer.eos))),
      ("pad_token", jsonString(special(Tokenizer.pad))),
      ("unk_token", jsonString(special(Tokenizer.unk))),
      ("model_max_length", "\(context)"),
      // Decoding must give the characters back as they were: no space clean-up.
      ("clean_up_tokenization_spaces", "false"),
      ("padding_side", "\"right\""),
    ])
  }

  /// `special_tokens_map.json` (older transformers read the specials from it).
  static func specialTokensMapJSON() -> String {
    GPT2Config.object([
      ("bos_token", jsonString(special(Tokenizer.bos))),
      ("eos_token", jsonString(special(Tokenizer.eos))),
      ("pad_token", jsonString(special(Tokenizer.pad))),
      ("unk_token", jsonString(special(Tokenizer.unk))),
    ])
  }
}
