/// The shell functions dpotop defines in the far side's `sh` when a session
/// starts: the whole of the remote protocol's far end (docs/remote.md).
///
/// Only POSIX tools are used (sh, find, ls, tail, head), and nothing is
/// written, installed or left running there: the functions live in the
/// session's shell and die with it. GNU find's `-printf` is used where it
/// exists (one process lists a tree with exact sizes and times); elsewhere
/// `ls -dLni` per file does (whole-second times are then unknown: files
/// that are rewritten are noticed by inode and size only).
///
/// Every reply ends with a line holding the request's marker, a random
/// string the request sets in `$M`, so a reply is delimited without knowing
/// its length in advance and a file that shrinks while it is sent is noticed.
enum FarSideScript {
  /// Record printer for one file per argument, without GNU find: type
  /// (d, f or o), device 0, inode, size, time 0, the path as given, then a NUL.
  /// `set -f`: a name holding `*` must not be globbed by `set -- $m`.
  static let posixPrinter =
    #"set -f; for f do m=$(ls -dLni -- "$f" 2>/dev/null) || continue; set -- $m; "#
    + #"case $2 in d*) t=d;; -*) t=f;; *) t=o;; esac; "#
    + #"printf "%s 0 %s %s 0 %s\0" "$t" "$1" "$6" "$f"; done"#

  /// The definitions, sent once per session; `posixOnly` forces the
  /// fallback without GNU find (tests).
  static func preamble(posixOnly: Bool) -> String {
    let probe = posixOnly ? "g=" : "g=; find / -maxdepth 0 -printf '' >/dev/null 2>&1 && g=1"
    return """
      export LC_ALL=C
      \(probe)
      P='\(posixPrinter.replacingOccurrences(of: "'", with: "'\\''"))'
      C() { if [ ! -e "$1" ]; then r=missing; elif [ -d "$1" ]; then if [ -r "$1" ] && [ -x "$1" ]; then r=dir; else r=denied; fi; elif [ -r "$1" ]; then r=file; else r=denied; fi; printf '%s\\n%s\\n' "$r" "$M"; }
      L() { if [ -n "$g" ]; then find -L "$1/." -maxdepth "$2" -name '.?*' -prune -o -printf '%Y %D %i %s %T@ %p\\0' 2>/dev/null; else find -L "$1/." -name '.?*' -prune -o -exec sh -c "$P" sh {} + 2>/dev/null; fi </dev/null | head -c "$3"; printf '\\n%s\\n' "$M"; }
      R() { if [ -n "$g" ]; then find -L "$@" -maxdepth 0 -printf '%Y %D %i %s %T@ %p\\0' 2>/dev/null; else sh -c "$P" sh "$@" 2>/dev/null; fi </dev/null; printf '\\n%s\\n' "$M"; }
      G() { printf 'G %s\\n' "$1"; if [ "$3" -gt 0 ]; then tail -c +"$(($2 + 1))" -- "$4" 2>/dev/null </dev/null | head -c "$3"; fi; printf '%s\\n' "$M"; }

      """
  }

  /// `bytes` quoted for sh: inside single quotes, each `'` as `'\''`.
  static func quote(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x27]
    for b in bytes {
      if b == 0x27 {
        out += [0x27, 0x5C, 0x27, 0x27]
      } else {
        out.append(b)
      }
    }
    out.append(0x27)
    return out
  }
}
