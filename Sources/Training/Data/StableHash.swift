/// A hash that is the same in every process (Swift's `Hasher` is randomly
/// seeded per run, so it cannot decide a reproducible train/held-out split).
public enum StableHash {
  /// 64-bit FNV-1a over the UTF-8 bytes of `text`.
  public static func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
  }
}
