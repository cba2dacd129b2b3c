/// The character-level tokenizer: a fixed vocabulary covering the maths
/// word problems (letters, digits, punctuation, space and newline) plus the
/// special tokens.
///
/// Fixed rather than learned from data so every checkpoint and dataset agree
/// on ids; characters outside it map to `unk`, so any text can be encoded.
public struct Tokenizer: Sendable {
  /// Padding (never a training target).
  public static let pad: Int32 = 0
  /// Start of sequence, prepended to every prompt.
  public static let bos: Int32 = 1
  /// End of sequence, appended to every completion.
  public static let eos: Int32 = 2
  /// Any character outside the vocabulary.
  public static let unk: Int32 = 3
  /// Ids before the first character.
  static let specials = 4

  /// The characters, in id order starting at `specials`.
  public static let characters: [Character] = Array(
    " \n0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,?!'\"$%:;+-*/=()#<>&_[]")

  /// The shared instance (the vocabulary is fixed).
  public static let standard = Tokenizer()

  private let ascii: [Int32]

  private init() {
    var table = [Int32](repeating: Self.unk, count: 128)
    for (i, ch) in Self.characters.enumerated() {
      if let a = ch.asciiValue { table[Int(a)] = Int32(Self.specials + i) }
    }
    ascii = table
  }

  /// Number of token ids.
  public var vocabSize: Int { Self.specials + Self.characters.count }

  /// Ids of `text`'s characters (no BOS/EOS). `\r\n` counts as one newline.
  public func encode(_ text: String) -> [Int32] {
    var out: [Int32] = []
    out.reserveCapacity(text.utf8.count)
    for ch in text {
      if let a = ch.asciiValue, Int(a) < ascii.count {
        out.append(ascii[Int(a)])
      } else if ch == "\r\n" {
        out.append(ascii[10])
      } else {
        out.append(Self.unk)
      }
    }
    return out
  }

  /// Text of `ids`; special tokens are dropped, unknown ones shown as `?`.
  public func decode(_ ids: [Int32]) -> String {
    var s = ""
    for id in ids {
      let i = Int(id) - Self.specials
      if i >= 0, i < Self.characters.count {
        s.append(Self.characters[i])
      } else if id == Self.unk {
        s.append("?")
      }
    }
    return s
  }
}
