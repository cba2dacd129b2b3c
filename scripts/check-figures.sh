#!/usr/bin/env bash
# Checks dpotop's figures as a person sees them (issue 26): renders the β
# ablation of sample-runs/beta-sweep with `dpotop plot` and the sample runs'
# report with `dpotop report`, screenshots each in headless Chromium, and
# asserts on the real pixels (not blank, the legend's β colours present)
# and on the SVG's structure (viewBox, one path per run, every legend name).
# Renders everything twice and compares bytes (determinism).
#
# Writes the README's pictures: docs/figures/beta-ablation.{svg,png},
# docs/figures/report.png and docs/figures/report-dark.png; with FIGURES_OUT
# set, into that directory instead (CI: the tree is left as it was, and the
# SVG is compared with the committed one, which must be current).
#
# Needs: a built dpotop (swift build), python3, chromium
# (apt-get install chromium). Usage: scripts/check-figures.sh [DPOTOP]
set -euo pipefail
cd "$(dirname "$0")/.."
DPOTOP="${1:-$(swift build --show-bin-path)/dpotop}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -x "$DPOTOP" ] || { echo "check-figures: no dpotop at $DPOTOP (swift build first)" >&2; exit 2; }
[ -n "$CHROMIUM" ] || { echo "check-figures: chromium missing (apt-get install chromium)" >&2; exit 2; }
OUT=${FIGURES_OUT:-docs/figures}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# The commands the README shows.
"$DPOTOP" plot sample-runs/beta-sweep --chart chosen-log-ratio --key '^task_accuracy$' --grid \
  --out "$OUT/beta-ablation.svg"
"$DPOTOP" plot sample-runs/beta-sweep --chart chosen-log-ratio --out "$TMP/fig4.svg"
"$DPOTOP" report sample-runs --out "$TMP/report.html"

# Determinism: the same runs give the same bytes.
"$DPOTOP" plot sample-runs/beta-sweep --chart chosen-log-ratio --key '^task_accuracy$' --grid \
  --out "$TMP/again.svg"
"$DPOTOP" report sample-runs --out "$TMP/again.html"
cmp "$OUT/beta-ablation.svg" "$TMP/again.svg"
cmp "$TMP/report.html" "$TMP/again.html"

shot() { # FILE PNG WIDTH HEIGHT [chromium flags...]
  local file=$1 png=$2 w=$3 h=$4
  shift 4
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --screenshot="$png" --window-size="$w,$h" "$@" "file://$(realpath "$file")" >/dev/null 2>&1
  [ -s "$png" ] || { echo "check-figures: chromium wrote no $png" >&2; exit 1; }
}
shot "$OUT/beta-ablation.svg" "$OUT/beta-ablation.png" 1120 380
shot "$TMP/fig4.svg" "$TMP/fig4.png" 560 380
shot "$TMP/report.html" "$OUT/report.png" 1000 1100
shot "$TMP/report.html" "$OUT/report-dark.png" 1000 1100 --force-dark-mode \
  --blink-settings=preferredColorScheme=0

python3 scripts/check_figures.py "$OUT/beta-ablation.svg" "$OUT/beta-ablation.png" \
  "$TMP/fig4.svg" "$TMP/fig4.png" "$TMP/report.html" "$OUT/report.png" "$OUT/report-dark.png"
echo "check-figures: ok ($OUT/beta-ablation.png, $OUT/report.png, $OUT/report-dark.png)"
