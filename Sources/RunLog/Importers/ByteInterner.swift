import Foundation

/// Interns names given as raw bytes: a log repeats the same few names a
/// million times, so a reader hashes the bytes (FNV-1a) and hands out a small
/// index instead of building a `String` per occurrence.
struct ByteInterner {
  /// Interned names, in first-seen order.
  private(set) var names: [String] = []
  /// Every name's bytes, back to back (one buffer: comparing against a name
  /// touches no per-name array, so no reference counting on the hot path).
  private var arena: [UInt8] = []
  /// Name i's bytes are `arena[starts[i]..<starts[i + 1]]`.
  private var starts: [Int] = [0]
  private var index: [UInt64: Int] = [:]
  /// Per name index + 1: the index that followed it last time (`intern(_:after:)`).
  private var successor: [Int] = []

  /// The index of `name`, adding it on first sight (bytes compared on a hash hit).
  mutating func intern(_ name: UnsafeRawBufferPointer) -> Int {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in name { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    if let i = index[h], same(i, name) { return i }
    // A hash collision (or a new name): fall back to a linear search before adding.
    if index[h] != nil, let i = names.indices.first(where: { same($0, name) }) {
      return i
    }
    let i = names.count
    arena.append(contentsOf: name)
    starts.append(arena.count)
    names.append(String(decoding: name, as: UTF8.self))
    if index[h] == nil { index[h] = i }
    return i
  }

  /// The index of `name` when it follows the name interned as `previous` (-1
  /// at the start of a sequence) in a sequence of names (a row's keys): rows
  /// repeat their keys in the same cyclic order (W&B writes them in Go map
  /// order, rotated), so the name that followed `previous` last time is tried
  /// first, with one memcmp and no hashing.
  mutating func intern(_ name: UnsafeRawBufferPointer, after previous: Int) -> Int {
    let slot = previous + 1
    if slot < successor.count {
      let guess = successor[slot]
      if guess >= 0, same(guess, name) { return guess }
    }
    let i = intern(name)
    if slot >= successor.count {
      successor.append(contentsOf: repeatElement(-1, count: slot + 1 - successor.count))
    }
    successor[slot] = i
    return i
  }

  /// The index of `name`, adding it on first sight.
  mutating func intern(_ name: String) -> Int {
    Array(name.utf8).withUnsafeBytes { intern($0) }
  }

  /// Whether name `i` has exactly the bytes `b` (memcmp: the generic
  /// `elementsEqual` is slow on this path).
  private func same(_ i: Int, _ b: UnsafeRawBufferPointer) -> Bool {
    let start = starts[i]
    let n = starts[i + 1] - start
    guard n == b.count else { return false }
    guard n > 0, let base = b.baseAddress else { return true }
    return arena.withUnsafeBytes { memcmp($0.baseAddress! + start, base, n) == 0 }
  }
}
