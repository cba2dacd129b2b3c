/// One theme colour as each kind of terminal can show it.
///
/// A theme names a 24-bit colour; terminals with 256 or 16 colours get the
/// index the theme gives for them, or the nearest one in the standard xterm
/// palette when the theme gives none.
public struct ThemeColor: Sendable, Hashable, CustomStringConvertible {
  /// 0xRRGGBB.
  public var rgb: UInt32
  /// Index into the xterm 256-colour palette (0...255).
  public var index256: Int
  /// Index into the 16 ANSI colours (0...15; 8...15 are the bright ones).
  public var index16: Int

  /// A colour with explicit indices; each nil index is derived from `rgb`.
  public init(rgb: UInt32, index256: Int? = nil, index16: Int? = nil) {
    self.rgb = rgb & 0xFF_FFFF
    self.index256 = index256 ?? Palette.nearest256(rgb)
    self.index16 = index16 ?? Palette.nearest16(rgb)
  }

  /// `#RRGGBB 256:N 16:N`.
  public var description: String {
    "#" + Palette.hex(rgb) + " 256:\(index256) 16:\(index16)"
  }
}

/// The standard xterm palettes, for deriving indices from 24-bit colours.
public enum Palette {
  /// The 16 ANSI colours as xterm draws them.
  public static let ansi16: [UInt32] = [
    0x000000, 0xCD0000, 0x00CD00, 0xCDCD00, 0x0000EE, 0xCD00CD, 0x00CDCD, 0xE5E5E5,
    0x7F7F7F, 0xFF0000, 0x00FF00, 0xFFFF00, 0x5C5CFF, 0xFF00FF, 0x00FFFF, 0xFFFFFF,
  ]

  /// The six channel levels of the 6×6×6 colour cube (indices 16...231).
  static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

  /// The 24-bit value of xterm 256-colour index `i` (clamped to 0...255).
  public static func rgb256(_ i: Int) -> UInt32 {
    let i = min(255, max(0, i))
    if i < 16 { return ansi16[i] }
    if i < 232 {
      let c = i - 16
      let r = cubeLevels[c / 36]
      let g = cubeLevels[(c / 6) % 6]
      let b = cubeLevels[c % 6]
      return UInt32(r << 16 | g << 8 | b)
    }
    let v = 8 + 10 * (i - 232)
    return UInt32(v << 16 | v << 8 | v)
  }

  /// The 256-colour index nearest to `rgb`, from the cube and the grey ramp
  /// (indices 16...255: the first 16 vary between terminals).
  public static func nearest256(_ rgb: UInt32) -> Int {
    var best = 16
    var bestDistance = Int.max
    for i in 16...255 {
      let d = distance(rgb, rgb256(i))
      if d < bestDistance {
        bestDistance = d
        best = i
      }
    }
    return best
  }

  /// The ANSI colour index (0...15) nearest to `rgb`.
  public static func nearest16(_ rgb: UInt32) -> Int {
    var best = 0
    var bestDistance = Int.max
    for (i, c) in ansi16.enumerated() {
      let d = distance(rgb, c)
      if d < bestDistance {
        bestDistance = d
        best = i
      }
    }
    return best
  }

  /// Squared distance weighted roughly by how much the eye cares per channel.
  static func distance(_ a: UInt32, _ b: UInt32) -> Int {
    let dr = Int((a >> 16) & 0xFF) - Int((b >> 16) & 0xFF)
    let dg = Int((a >> 8) & 0xFF) - Int((b >> 8) & 0xFF)
    let db = Int(a & 0xFF) - Int(b & 0xFF)
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db
  }

  /// Six upper-case hex digits.
  public static func hex(_ rgb: UInt32) -> String {
    let digits = Array("0123456789ABCDEF")
    var s = ""
    for shift in stride(from: 20, through: 0, by: -4) {
      s.append(digits[Int((rgb >> UInt32(shift)) & 0xF)])
    }
    return s
  }
}
