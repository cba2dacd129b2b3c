import Sweeps

/// The new-sweep form (key `n`) drawn over the middle of the screen: one
/// row per field, the focused one highlighted, refused values marked, and
/// the first problem (else a hint for the focused field) spelled out under
/// the fields.
struct SweepFormView {
  let form: SweepForm
  let launching: Bool
  let ascii: Bool

  /// Width of the field-name column.
  static let labelWidth = 12

  func render(in screen: Rect, into grid: inout CellGrid) {
    let fields = SweepForm.fields
    let w = min(screen.width, 76)
    let h = min(screen.height, fields.count + 5)
    guard w >= 20, h >= 4 else { return }
    let box = Rect(
      x: screen.x + (screen.width - w) / 2, y: screen.y + (screen.height - h) / 2, width: w,
      height: h)
    grid.fill(box, with: Cell(" ", .plain))
    grid.box(box, style: Style(.borderFocused), ascii: ascii)
    let backend = form.launch.backend.rawValue
    grid.put(
      launching ? "new sweep (\(backend)): launching..." : "new sweep (\(backend))", x: box.x + 1,
      y: box.y, maxWidth: w - 2, style: Style(.title, bold: true))
    let inner = box.inset(by: 1)
    let valueX = inner.x + Self.labelWidth + 2
    let valueW = inner.maxX - valueX
    for (i, field) in fields.enumerated() where i < inner.height - 2 {
      let y = inner.y + i
      let focused = i == form.focus
      let bad = form.errors[field] != nil
      grid.put(
        field.rawValue, x: inner.x + 1, y: y, maxWidth: Self.labelWidth,
        style: Style(focused ? .accent : .normal, bold: focused))
      if bad { grid[inner.x + Self.labelWidth + 1, y] = Cell("!", Style(.bad, bold: true)) }
      let text = (form.texts[field] ?? "") + (focused ? "_" : "")
      let style = Style(bad ? .bad : .normal, reverse: focused)
      if focused {
        grid.fill(Rect(x: valueX, y: y, width: valueW, height: 1), with: Cell(" ", style))
      }
      grid.put(Self.tail(SafeText(text), valueW), x: valueX, y: y, style: style)
      if field == .slurmArgs, text.isEmpty, form.launch.backend != .slurm {
        grid.put("(backend slurm only)", x: valueX, y: y, maxWidth: valueW, style: Style(.dim))
      }
    }
    let problem =
      form.message
      ?? form.errors[form.focusedField].map { "\(form.focusedField.rawValue): \($0)" }
      ?? form.errors.sorted(by: { $0.key.rawValue < $1.key.rawValue }).first.map {
        "\($0.key.rawValue): \($0.value)"
      }
      ?? form.combinationProblem
    if let problem {
      grid.put(
        problem, x: inner.x + 1, y: inner.maxY - 2, maxWidth: inner.width - 1, style: Style(.bad))
    } else if let hint = Self.hints[form.focusedField] {
      grid.put(
        hint, x: inner.x + 1, y: inner.maxY - 2, maxWidth: inner.width - 1, style: Style(.dim))
    }
    grid.put(
      "Enter launch  Tab/Up/Down field  Ctrl-U clear  Esc close", x: inner.x + 1,
      y: inner.maxY - 1, maxWidth: inner.width - 1, style: Style(.dim))
  }

  /// What the less obvious fields take, shown while they have the focus.
  static let hints: [SweepLaunch.Field: String] = [
    .backend: "local (this machine, jobs at once) or slurm (one sbatch job per run)",
    .slurmArgs: "sbatch options, e.g. --partition=gpu --time=1:00:00; quotes keep spaces",
  ]

  /// The end of `text` in `width` columns, led by `…` when cut (what is
  /// being typed stays in view).
  static func tail(_ text: SafeText, _ width: Int) -> SafeText {
    guard text.width > width, width > 1 else { return text.truncated(to: width) }
    var cols = Array(text.columns.suffix(width - 1))
    if cols.first == Cell.continuationChar { cols[0] = " " }
    var out = SafeText("…")
    out.append(columns: cols)
    return out
  }
}
