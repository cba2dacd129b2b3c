import RunLog

/// The runs of one sweep, or the runs outside any sweep in one directory:
/// what the runs list shows under one header row.
public struct RunGroup: Sendable, Equatable {
  /// Identity: the sweep id and directory, or the directory alone.
  public var key: String
  /// What the header shows: the directory holding the runs.
  public var title: String
  /// True for a sweep's runs (they have sweep axes).
  public var isSweep: Bool
  /// Indices into `RunList.runs`, in the order first seen.
  public var members: [Int] = []

  /// The group a run with `id` (its path) and `manifest` belongs to.
  static func key(id: String, manifest: RunManifest) -> (key: String, title: String, sweep: Bool) {
    let dir = parentDirectory(id)
    if let sweep = manifest.sweepId {
      return ("sweep\u{1F}" + sweep + "\u{1F}" + dir, dir, true)
    }
    return ("dir\u{1F}" + dir, dir, false)
  }

  /// The directory part of a run's path (`.` for a bare name).
  static func parentDirectory(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return slash == p.startIndex ? "/" : String(p[..<slash])
  }
}

/// One row of the runs list.
public enum ListRow: Sendable, Equatable {
  /// A group's header (index into `RunList.groups`).
  case header(Int)
  /// One run (index into `RunList.runs`).
  case run(Int)
  /// The compare view's line for runs that differ only in seed (two or more).
  case seeds([Int])

  /// The runs the row stands for (a header: none).
  var runIndices: [Int] {
    switch self {
    case .header: return []
    case .run(let i): return [i]
    case .seeds(let list): return list
    }
  }
}

extension RunList {
  /// Headers are drawn once they tell something: a sweep (its progress), or
  /// runs from more than one directory.
  var showsHeaders: Bool { groups.count > 1 || groups.contains(where: \.isSweep) }

  /// Files run `i` under its group (creating the group); returns the group's index.
  @discardableResult
  mutating func fileIntoGroup(_ i: Int) -> Int {
    let (key, title, sweep) = RunGroup.key(id: runs[i].id, manifest: runs[i].manifest)
    let g: Int
    if let existing = groupIndex[key] {
      g = existing
    } else {
      g = groups.count
      groupIndex[key] = g
      groups.append(RunGroup(key: key, title: title, isSweep: sweep))
    }
    groups[g].members.append(i)
    if groupOfRun.count <= i {
      groupOfRun.append(contentsOf: repeatElement(0, count: i + 1 - groupOfRun.count))
    }
    groupOfRun[i] = g
    return g
  }

  /// Rebuilds every group from `runs` (after a removal or a run moving group).
  mutating func regroup() {
    groups = []
    groupIndex = [:]
    groupOfRun = Array(repeating: 0, count: runs.count)
    for i in runs.indices { fileIntoGroup(i) }
  }

  /// Whether a run added as `i` (already filed and passing the filter) can
  /// simply go at the end of the list: its group is the last one listed,
  /// nothing regroups by seed, and headers neither appear nor vanish.
  func appendsAtEnd(_ i: Int, headersBefore: Bool) -> Bool {
    let g = groupOfRun[i]
    guard !seedLines, showsHeaders == headersBefore, !collapsed.contains(groups[g].key) else {
      return false
    }
    // A new group is the last one: its rows go after everything listed.
    if groups[g].members.count == 1 { return true }
    guard let lastRow = rows.last else { return true }
    switch lastRow {
    case .header(let h): return h == g
    case .run(let r): return groupOfRun[r] == g
    case .seeds: return false
    }
  }

  /// The list rows for `visible` (already in group order): a header per
  /// group when headers show, a collapsed group's header alone, and in the
  /// compare view one line per set of runs differing only in seed.
  func buildRows(visible: [Int], groupsShown: [Int]) -> [ListRow] {
    var out: [ListRow] = []
    out.reserveCapacity(visible.count + groupsShown.count)
    let headers = showsHeaders
    var v = 0
    for g in groupsShown {
      let isCollapsed = headers && collapsed.contains(groups[g].key)
      if headers { out.append(.header(g)) }
      var members: [Int] = []
      while v < visible.count, groupOfRun[visible[v]] == g {
        members.append(visible[v])
        v += 1
      }
      guard !isCollapsed else { continue }
      guard seedLines else {
        for i in members { out.append(.run(i)) }
        continue
      }
      var cellOrder: [String] = []
      var cells: [String: [Int]] = [:]
      for i in members {
        let key = SeedCell.key(runs[i].manifest, group: groups[g].key) ?? "run\u{1F}\(i)"
        if cells[key] == nil { cellOrder.append(key) }
        cells[key, default: []].append(i)
      }
      for key in cellOrder {
        let list = cells[key] ?? []
        out.append(list.count > 1 ? .seeds(list) : .run(list[0]))
      }
    }
    return out
  }

  /// The group of the row under the cursor (its header's, or its runs').
  var cursorGroup: Int? {
    guard cursor >= 0, cursor < rows.count else { return nil }
    switch rows[cursor] {
    case .header(let g): return g
    case .run(let i): return groupOfRun[i]
    case .seeds(let list): return list.first.map { groupOfRun[$0] }
    }
  }

  /// Collapses or expands the cursor's group; the cursor goes to its header.
  mutating func toggleCollapsed(rowsShown: Int) {
    guard showsHeaders, let g = cursorGroup else { return }
    let key = groups[g].key
    if collapsed.contains(key) { collapsed.remove(key) } else { collapsed.insert(key) }
    refilter(keepingRow: .header(g), rowsShown: rowsShown)
  }

  /// Collapses every group, or expands them all when all are collapsed.
  mutating func toggleAllCollapsed(rowsShown: Int) {
    guard showsHeaders else { return }
    let keep = cursorGroup.map { ListRow.header($0) }
    if groups.allSatisfy({ collapsed.contains($0.key) }) {
      collapsed = []
    } else {
      collapsed = Set(groups.map(\.key))
    }
    refilter(keepingRow: keep, rowsShown: rowsShown)
  }

  /// The header's progress: `6 runs: 4 finished, 2 running`.
  func progress(of g: Int) -> String {
    var counts: [String: Int] = [:]
    for i in groups[g].members {
      let run = runs[i]
      counts[run.error != nil ? "error" : run.status.rawValue, default: 0] += 1
    }
    let order = ["finished", "running", "queued", "stopped", "failed", "cancelled", "error"]
    let n = groups[g].members.count
    let parts = order.compactMap { s in counts[s].map { "\($0) \(s)" } }
    return "\(n) run\(n == 1 ? "" : "s"): " + parts.joined(separator: ", ")
  }
}
