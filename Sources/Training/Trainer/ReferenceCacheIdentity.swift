import Foundation

/// What names a value in the shared reference cache: the directory's
/// fingerprint (everything that decides the bits of a reference log-prob)
/// and each record's key (the pair itself).
enum ReferenceCacheIdentity {
  /// Bumped whenever the record format or what a value means changes.
  static let formatVersion = "dpotop reference log-prob cache v1"

  /// The hash over the reference's shape (context included: it decides
  /// truncation) and parameter bytes, the kernel path (avx512 / avx2 / plain
  /// differ in the last bits), the format version, and the running
  /// executable's identity: a rebuilt trainer may sum in another order, and a
  /// sweep resumed with a new build must not mix its values with the old ones.
  static func fingerprint(
    model: ModelConfig, parameters: [Float], kernels: KernelPath,
    executable: String = executableIdentity
  ) -> StableHash128 {
    var input = HashInput()
    input.add(formatVersion)
    for x in [model.vocab, model.context, model.dim, model.layers, model.heads] {
      input.add(UInt64(truncatingIfNeeded: x))
    }
    input.add(kernels.rawValue)
    input.add(executable)
    input.add(floats: parameters)
    return input.hash
  }

  /// The key of a pair: its prompt and completions as text. With the context
  /// (in the fingerprint) they decide the token ids the reference scores, so
  /// the key holds whatever dataset, split, seed or row count drew the pair.
  static func key(_ pair: PreferencePair) -> StableHash128 {
    var input = HashInput()
    input.add(pair.prompt)
    input.add(pair.chosen)
    input.add(pair.rejected)
    return input.hash
  }

  /// Path, size and modification time of this process's executable (cheap:
  /// hashing the bytes of a test binary would cost seconds); "" when unknown.
  static let executableIdentity: String = {
    guard let path = Bundle.main.executablePath else { return "" }
    var st = stat()
    guard stat(path, &st) == 0 else { return path }
    return "\(path) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
  }()
}
