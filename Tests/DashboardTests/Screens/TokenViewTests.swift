import Testing

@testable import Dashboard
@testable import RunLog

/// The token view (`w`): layout, colour levels, glyph rows without colour,
/// narrow terminals, wrapping, hostile token text, and its keys.
@Suite struct TokenViewTests {
  /// A low-edit maths probe: chosen and rejected differ at one digit; the
  /// chosen edit token fell hard, the shared prefix a little.
  static func probe(step: Int, pair: Int = 0, scale: Double = 1) -> ProbeRecord {
    let chosen = Array("3+4=7\n7*2=14\n#### 14").map(String.init) + ["</s>"]
    let rejected = Array("3+4=8\n8*2=16\n#### 16").map(String.init) + ["</s>"]
    let ref = [Double](repeating: -0.01, count: chosen.count)
    var c = ref
    c[0] -= 0.1 * scale  // "3": slight fall (shared)
    c[2] -= 0.6 * scale  // "4": fall (shared)
    c[4] -= 2.5 * scale  // "7": the edit, strong fall
    c[6] += 0.7 * scale  // "7" again: rise
    c[chosen.count - 1] += 3 * scale  // end token: strong rise
    var rRef = ref
    rRef[4] = -12
    var r = rRef
    r[4] -= 1 * scale
    return ProbeRecord(
      step: step, pair: pair, prompt: "Ann has 3 apples and gets 4, then doubles. How many?\n",
      chosenTokens: chosen, rejectedTokens: rejected, chosenLogps: c, rejectedLogps: r,
      chosenRefLogps: ref, rejectedRefLogps: rRef, firstDiff: 4)
  }

  static func log(_ records: [ProbeRecord]) -> ProbeLog { ProbeLog(records: records) }

  static func state(
    width: Int = 100, height: Int = 30, config: DashboardConfig = DashboardConfig(),
    probes: ProbeLog? = nil
  ) -> DashboardState {
    var s = Fixtures.state(
      [(Fixtures.manifest("dpo-b0.1"), Fixtures.store(steps: 50))], width: width, height: height,
      config: config)
    let effects = update(&s, .key(.char("w")))
    #expect(effects == [.requestProbes(id: "runs/dpo-b0.1")])
    let log =
      probes
      ?? Self.log([
        probe(step: 0, scale: 0), probe(step: 0, pair: 1, scale: 0), probe(step: 25, scale: 0.5),
        probe(step: 25, pair: 1, scale: 0.4), probe(step: 50), probe(step: 50, pair: 1, scale: 2),
      ])
    _ = update(&s, .probes(id: "runs/dpo-b0.1", log: log))
    return s
  }

  /// The grid with every cell replaced by its diverging level's glyph (`0`
  /// for level 0; blank for cells not on the scale): the colours, as text.
  static func levels(_ g: CellGrid) -> CellGrid {
    var out = CellGrid(width: g.width, height: g.height)
    for y in 0..<g.height {
      for x in 0..<g.width {
        guard case .diverging(let l) = g[x, y].style.role else { continue }
        out[x, y] = Cell(l == 0 ? "0" : TokenRows.glyphs[l + 3])
      }
    }
    return out
  }

  @Test func colourShowsEachTokensChangeOnTheThemeScale() {
    let g = render(Self.state())
    expectAlignedAndClean(g)
    expectSnapshot(g, "tokens-colour")
    // The colours: the edit token "7" of chosen fell most (level −3), its
    // end token rose most (+3), and the shared prefix shows once.
    expectSnapshot(Self.levels(g), "tokens-colour-levels")
    #expect(!g.plainText.contains("V v"))  // no glyph row with colour
  }

  @Test func theLevelsAreWhereTheDeltasSay() {
    let g = render(Self.state())
    let rows = g.plainText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let chosenRow = try! #require(rows.firstIndex { $0.contains("chosen   >") })
    let x = try! #require(rows[chosenRow].firstIndex(of: ">")).utf16Offset(in: rows[chosenRow]) + 1
    // The first token of the tail is the edit: "7", strongest fall, marked.
    #expect(g[x, chosenRow].char == "7")
    #expect(g[x, chosenRow].style.role == .diverging(-3))
    #expect(g[x, chosenRow].style.reverse && g[x, chosenRow].style.underline)
    let rejectedRow = try! #require(rows.firstIndex { $0.contains("rejected >") })
    #expect(g[x, rejectedRow].char == "8")
    #expect(g[x, rejectedRow].style.role == .diverging(-2))
    #expect(TokenRows.level(-2.5) == -3 && TokenRows.level(0.7) == 2 && TokenRows.level(0.01) == 0)
    #expect(TokenRows.level(.nan) == 0)
  }

  @Test func withoutColourAGlyphRowCarriesTheScale() {
    let g = render(Self.state(config: DashboardConfig(noColor: true)))
    expectSnapshot(g, "tokens-no-color")
    let rows = g.plainText.split(separator: "\n").map(String.init)
    let chosenRow = rows.firstIndex { $0.contains("chosen   >") }!
    // Under the edit token "7" (fell 2.5 nats): V.
    let x =
      rows[chosenRow].distance(
        from: rows[chosenRow].startIndex, to: rows[chosenRow].firstIndex(of: ">")!) + 1
    #expect(Array(rows[chosenRow + 1])[x] == "V")
    #expect(rows.contains { $0.contains("V <-2") && $0.contains("A >2") })
  }

  @Test func asciiHasGlyphRowsAndNoBoxDrawing() {
    let g = render(Self.state(config: DashboardConfig(glyphs: .ascii)))
    expectSnapshot(g, "tokens-ascii")
    // The view itself (the status line's cut mark is the status line's own).
    let view = g.plainText.split(separator: "\n").dropLast().joined()
    #expect(view.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test func fortyColumnsWrapAndStayAligned() {
    let g = render(Self.state(width: 40, height: 30, config: DashboardConfig(noColor: true)))
    expectAlignedAndClean(g)
    expectSnapshot(g, "tokens-40x30")
  }

  @Test func aLongCompletionWrapsWithEveryTokenInOrder() {
    let tail = (0..<150).map { "w\($0 % 10)" }
    var p = Self.probe(step: 10)
    p.chosenTokens = Array(p.chosenTokens.prefix(4)) + tail
    p.chosenLogps = (0..<p.chosenTokens.count).map { -Double($0 % 7) / 2 }
    p.chosenRefLogps = [Double](repeating: 0, count: p.chosenTokens.count)
    let s = Self.state(width: 60, height: 60, probes: Self.log([p]))
    let g = render(s)
    expectAlignedAndClean(g)
    expectSnapshot(g, "tokens-wrapping")
    let rows = g.plainText.split(separator: "\n").map(String.init)
    let start = rows.firstIndex { $0.contains("chosen   >") }!
    let end = rows.firstIndex { $0.contains("rejected >") }!
    #expect(end - start > 3)  // wrapped onto several rows
    let text = rows[start..<end].map { String($0.dropFirst(11).dropLast()) }
      .joined().replacingOccurrences(of: " ", with: "")
    #expect(text == tail.joined())
  }

  @Test func hostileTokenTextIsEscaped() {
    var p = Self.probe(step: 5)
    p.prompt = "ev\u{1B}]0;pwned\u{07}il\u{202E}"
    p.chosenTokens[4] = "\u{1B}[2J"
    p.chosenTokens[5] = "日本"
    p.chosenTokens[6] = "\u{9B}31m"
    p.rejectedTokens[4] = String(repeating: "x", count: 100_000)
    p.rejectedTokens[5] = "\u{2066}"
    let g = render(Self.state(width: 60, height: 30, probes: Self.log([p])))
    expectAlignedAndClean(g)
    HostileTextTests.expectNoControlBytes(g.plainText)
    expectSnapshot(g, "tokens-hostile")
    #expect(g.plainText.contains("\\x1b[2J"))
  }

  @Test func keysMoveBetweenProbesAndEvaluations() {
    var s = Self.state()
    func title(_ s: DashboardState) -> String {
      String(render(s).plainText.split(separator: "\n")[0])
    }
    #expect(title(s).contains("probe 0 (1/2)  step 50 (eval 3/3)"))
    _ = update(&s, .key(.down))
    #expect(title(s).contains("probe 1 (2/2)  step 50"))
    _ = update(&s, .key(.down))
    #expect(title(s).contains("probe 0 (1/2)"))
    _ = update(&s, .key(.left))
    #expect(title(s).contains("step 25 (eval 2/3)"))
    _ = update(&s, .key(.left))
    _ = update(&s, .key(.left))
    #expect(title(s).contains("step 0 (eval 1/3)"))
    _ = update(&s, .key(.end))
    #expect(title(s).contains("step 50"))
    // Live: every tick reads what probes.jsonl gained.
    #expect(update(&s, .tick(now: 1)) == [.requestProbes(id: "runs/dpo-b0.1")])
    _ = update(&s, .key(.escape))
    #expect(s.screen == .main)
    #expect(update(&s, .tick(now: 2)).isEmpty)
  }

  @Test func replayShowsTheEvaluationAtTheReplayPosition() {
    var s = Self.state()
    _ = update(&s, .seek(step: 30))
    #expect(render(s).plainText.contains("step 25 (eval 2/3)"))
  }

  @Test func aRunWithoutProbesSaysSo() {
    let s = Self.state(probes: ProbeLog())
    #expect(render(s).plainText.contains("no probes logged"))
    var bad = ProbeLog()
    bad.badCount = 2
    bad.recentBad = [BadLine(path: "runs/x/probes.jsonl", line: 7, reason: "NaN")]
    let g = render(Self.state(probes: bad))
    #expect(g.plainText.contains("2 bad lines in probes.jsonl: last runs/x/probes.jsonl:7: NaN"))
  }

  @Test func helpListsTheTokenViewKey() {
    #expect(HelpOverlay.keys.contains { $0.0 == "w" })
  }
}
