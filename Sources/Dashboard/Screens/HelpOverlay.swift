/// The `?` overlay: every key, in a box over the middle of the screen.
struct HelpOverlay {
  /// (keys, what they do), in the order shown.
  static let keys: [(String, String)] = [
    ("q, Ctrl-C", "quit"),
    ("?, F1", "this help (any key closes it)"),
    ("Tab", "switch pane: runs / charts"),
    ("Up/Down, j/k", "move the cursor (runs) or the chart focus"),
    ("PgUp/PgDn, g/G", "page the run list / top / bottom"),
    ("Space, m", "mark a run, a header's runs (Space pauses replay)"),
    ("Enter, o / O", "on a header: collapse or expand the group / all groups"),
    ("a, c", "mark every listed run / clear the marks"),
    ("C", "compare: colour by beta; seeds as mean + min-max band"),
    ("/", "filter names, sweeps, axes: dpop beta=0.1 (Enter/Esc)"),
    ("!", "chosen log-prob > 0.5 nats below ref (train batches)"),
    (divergedKey, "loss went NaN/Inf: diverged (filter word: diverged)"),
    ("Enter, Esc", "run detail / back"),
    ("M", "a chart per logged key (/ keys, Enter enlarge, { } columns)"),
    ("w", "token view of the probes (Up/Down probe, Left/Right evaluation)"),
    ("e", "write the charts on screen to SVG files (./dpotop-figures)"),
    ("1-9", "focus chart N (when not all fit)"),
    ("s, +/-", "EMA smoothing on/off, its weight"),
    ("z/Z, 0", "zoom in/out over steps, reset"),
    ("[ ], Left/Right, h/l", "pan over steps"),
    ("L", "log scale where values allow"),
    ("%", "y range to the 5th-95th percentile on screen (clipped: arrows)"),
    ("i, , .", "inspect cursor on/off, move it (replay: at the replay step)"),
    ("X", "x axis: step / time since start / wall clock / tokens seen"),
    ("mouse", "click: cursor, mark (swatch), chart focus; wheel: zoom; drag: pan"),
    ("r", "replay the chart runs / back to live"),
    ("p", "pause / resume replay"),
    (". ,", "replay one step forward / back"),
    ("< >", "replay slower / faster (1x-1000x)"),
    ("t", "replay paced by recorded time / by steps"),
    ("Home/End", "replay: seek start / end"),
    ("T", "next colour theme"),
    ("n", "new sweep (form: Tab next field, Enter launch, Esc close)"),
    ("x, R", "cancel / resume the marked runs (asks y/n)"),
  ]

  /// The runs pane's mark of a run whose loss went non-finite.
  static let divergedKey = "✗"

  let ascii: Bool

  func render(in screen: Rect, into grid: inout CellGrid) {
    let keyW = Self.keys.map { $0.0.count }.max() ?? 0
    let textW = Self.keys.map { $0.1.count }.max() ?? 0
    let w = min(screen.width, keyW + textW + 6)
    let h = min(screen.height, Self.keys.count + 2)
    guard w >= 4, h >= 3 else { return }
    let box = Rect(
      x: screen.x + (screen.width - w) / 2, y: screen.y + (screen.height - h) / 2, width: w,
      height: h)
    grid.fill(box, with: Cell(" ", .plain))
    grid.box(box, style: Style(.borderFocused), ascii: ascii)
    grid.put("keys", x: box.x + 1, y: box.y, maxWidth: w - 2, style: Style(.title, bold: true))
    for (i, (k, text)) in Self.keys.prefix(h - 2).enumerated() {
      let y = box.y + 1 + i
      // The diverged mark as the runs pane draws it in ASCII.
      let key = ascii && k == Self.divergedKey ? "X" : k
      grid.put(key, x: box.x + 2, y: y, maxWidth: w - 3, style: Style(.accent, bold: true))
      grid.put(text, x: box.x + 3 + keyW, y: y, maxWidth: box.maxX - 1 - (box.x + 3 + keyW))
    }
  }
}
