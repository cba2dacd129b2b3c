#!/usr/bin/env python3
"""Assertions of scripts/check-figures.sh on what Chromium drew and on the SVG.

Usage: check_figures.py GRID.svg GRID.png FIG4.svg FIG4.png REPORT.html REPORT.png REPORT-DARK.png

Standard library only: PNGs are read with zlib (8-bit RGB/RGBA, the five
scanline filters), colours come from themes/*.theme, run names from
sample-runs/beta-sweep/*/run.json.
"""
import glob
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

SVG = "{http://www.w3.org/2000/svg}"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def read_png(path):
    """(width, height, rows of (r, g, b) tuples)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path + ": not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, f"{path}: unsupported PNG {ihdr}"
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def theme(name):
    colors = {}
    for line in open(f"themes/{name}.theme"):
        m = re.match(r'theme\[(\w+)\]="#([0-9A-Fa-f]{6})"', line.strip())
        if m:
            colors[m.group(1)] = tuple(int(m.group(2)[i:i + 2], 16) for i in (0, 2, 4))
    return colors


def near(p, q, tol=24):
    return all(abs(a - b) <= tol for a, b in zip(p, q))


def count_near(pixels, color):
    return sum(1 for p in pixels if near(p, color))


def check_png(path, w, h, legend, background, label):
    pw, ph, rows = read_png(path)
    pixels = [p for row in rows for p in row]
    check((pw, ph) == (w, h), f"{label}: {pw}x{ph} px as asked")
    check(len(set(pixels)) > 50, f"{label}: not blank ({len(set(pixels))} colours)")
    ink = sum(1 for p in pixels if not near(p, background, 8)) / len(pixels)
    check(ink > 0.02, f"{label}: {ink:.1%} of pixels drawn")
    for name, color in legend.items():
        n = count_near(pixels, color)
        check(n >= 40, f"{label}: colour {name} #{bytes(color).hex()} present ({n} px)")


def check_svg(path, runs, label):
    root = ET.parse(path).getroot()
    check(re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox") or "") is not None,
          f"{label}: viewBox {root.get('viewBox')}")
    charts = [g for g in root.iter(SVG + "g") if g.get("class") == "chart"]
    check(len(charts) >= 1, f"{label}: {len(charts)} chart(s)")
    for i, chart in enumerate(charts):
        lines = [p for p in chart.iter(SVG + "path") if p.get("class") == "line"]
        check(len(lines) == len(runs), f"{label} chart {i}: {len(lines)} paths for {len(runs)} runs")
        titles = sorted(p.find(SVG + "title").text.rsplit(" ", 1)[0] for p in lines)
        check(titles == sorted(runs), f"{label} chart {i}: one path named for each run")
        legend = {t.text for t in chart.iter(SVG + "text") if t.get("class") == "legend-label"}
        want = {"β=0.1", "β=0.3", "β=1", "dpo", "dpop"}
        check(want <= legend, f"{label} chart {i}: legend names {sorted(want)} ({sorted(legend)})")
        check(any(l.get("class") == "zero" for l in chart.iter(SVG + "line")) or i > 0,
              f"{label} chart {i}: zero line")


def main():
    grid_svg, grid_png, fig_svg, fig_png, html_path, report_png, dark_png = sys.argv[1:8]
    runs = [json.load(open(p))["name"] for p in sorted(glob.glob("sample-runs/beta-sweep/*/run.json"))]
    light, dark = theme("light"), theme("dark")
    beta_colours = lambda t: {f"series{i}": t[f"series{i}"] for i in range(3)}
    check_svg(grid_svg, runs, "beta-ablation.svg")
    check_svg(fig_svg, runs, "fig4.svg")
    bg = light["background"]
    check_png(grid_png, 1120, 380, beta_colours(light), bg, "beta-ablation.png")
    check_png(fig_png, 560, 380, beta_colours(light), bg, "fig4.png")
    html = open(html_path, encoding="utf-8").read()
    check("<script" not in html and "<link" not in html, "report: no script, no link")
    check("http" not in html.replace("http://www.w3.org/2000/svg", ""), "report: no URL fetched")
    for name in runs + ["reference"]:
        check(name in html, f"report: names run {name}")
    check_png(report_png, 1000, 1100, dict(beta_colours(light), title=light["title"]), bg,
              "report.png")
    dark_bg = (0x12, 0x12, 0x12)
    check_png(dark_png, 1000, 1100, dict(beta_colours(dark), title=dark["title"]), dark_bg,
              "report-dark.png (prefers-color-scheme: dark)")
    if failures:
        print(f"check_figures: {len(failures)} failed")
        sys.exit(1)


main()
