#!/usr/bin/env bash
# Builds every libFuzzer harness in Tests/Fuzz/*.swift with ASan and runs each
# over its seed corpus for SECONDS_PER_HARNESS seconds (default 10).
#
#   scripts/fuzz.sh [SECONDS_PER_HARNESS] [HARNESS...]
#
# Files in Tests/Fuzz/Support/ are compiled into every harness (shared helpers).
# A harness names the SwiftPM modules it imports on its first line:
#   // fuzz-modules: RunLog Dashboard
# Those modules are compiled here with swiftc (optimised, -enable-testing so
# `@testable import` works, instrumented for coverage and ASan) into static
# libraries under $FUZZ_OUT/build, and the harness is linked against them.
# New corpus entries and crash/timeout/leak artifacts go to $FUZZ_OUT
# (default: fuzz-out/ in the repository, which is gitignored). The seed corpus
# Tests/FuzzCorpus/<harness>/ is only read, never written.
#
# Exits non-zero when a module or harness fails to build, or when any harness
# crashes, hangs (per-input timeout), leaks, runs out of memory or fails an
# invariant (a precondition in the harness). See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=10
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
out=${FUZZ_OUT:-$root/fuzz-out}
timeout_per_input=${FUZZ_TIMEOUT:-10}
rss_limit_mb=${FUZZ_RSS_MB:-2048}
build=$out/build
mkdir -p "$build"

# Which harnesses: the names given, else every Tests/Fuzz/*.swift.
harnesses=()
if [ $# -gt 0 ]; then
  for name in "$@"; do
    name=${name%.swift}
    name=${name##*/}
    if [ ! -f "Tests/Fuzz/$name.swift" ]; then
      echo "fuzz: no harness Tests/Fuzz/$name.swift" >&2
      exit 2
    fi
    harnesses+=("$name")
  done
else
  for f in Tests/Fuzz/*.swift; do
    [ -e "$f" ] || continue
    name=${f##*/}
    harnesses+=("${name%.swift}")
  done
fi
if [ ${#harnesses[@]} -eq 0 ]; then
  echo "fuzz: no harnesses in Tests/Fuzz" >&2
  exit 2
fi

# Modules are compiled once per invocation, in the order harnesses name them
# (dependencies first). A C system-library module (a directory holding
# module.modulemap, like CNcurses) is only put on the include path; its
# `link "x"` libraries are linked into the harness.
sanitize=(-sanitize=fuzzer,address)
swift_flags=(-swift-version 6 -parse-as-library -g -enable-testing -use-ld=lld)
# Modules are optimised (speed); harnesses are not, so that the message of a
# failed precondition (the invariant that broke) is kept and printed.
# A module is one whole-module compile: -num-threads spreads its code
# generation over the CPUs (one object file per source). FUZZ_MODULE_OPT=-Onone
# (CI's smoke) builds them unoptimised: several times quicker to compile, fewer
# executions per second, the same harnesses and the same checks.
module_opt=("${FUZZ_MODULE_OPT:--O}" -num-threads "$(nproc)")
harness_opt=-Onone
# The Swift runtime's own crash backtracer gets in ASan's way.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
include_flags=(-I "$build")
declare -A built=()

build_module() {
  local module=$1
  local dir=Sources/$module
  if [ -n "${built[$module]:-}" ]; then return 0; fi
  if [ ! -d "$dir" ]; then
    echo "fuzz: module $module: no directory $dir" >&2
    return 1
  fi
  if [ -f "$dir/module.modulemap" ]; then
    include_flags+=(-I "$root/$dir")
    built[$module]=1
    return 0
  fi
  if [ -d "$dir/include" ]; then
    # A C target (like CPUID): compiled with clang into a static library, with
    # the module map SwiftPM would generate for its public headers.
    local csources cdir=$build/$module-c
    mapfile -t csources < <(find "$dir" -name '*.c' | sort)
    echo "fuzz: building C module $module (${#csources[@]} files)"
    mkdir -p "$cdir"
    {
      echo "module $module {"
      for h in "$root/$dir"/include/*.h; do echo "  header \"$h\""; done
      echo "  export *"
      echo "}"
    } >"$cdir/module.modulemap"
    local objs=() c
    for c in "${csources[@]}"; do
      clang -O2 -g -fsanitize=fuzzer-no-link,address -I "$dir/include" -c "$c" \
        -o "$cdir/$(basename "$c" .c).o" 2>>"$build/$module.log" || {
        cat "$build/$module.log" >&2
        echo "fuzz: module $module failed to build" >&2
        return 1
      }
      objs+=("$cdir/$(basename "$c" .c).o")
    done
    ar rcs "$build/lib$module.a" "${objs[@]}"
    include_flags+=(-I "$cdir")
    built[$module]=1
    return 0
  fi
  local sources
  mapfile -t sources < <(find "$dir" -name '*.swift' | sort)
  # The kernel builds' code generation, as Package.swift's kernelSettings gives it.
  local march=()
  case "$module" in
    KernelsAVX2) march=(-Xcc -march=x86-64-v3) ;;
    KernelsAVX512) march=(-Xcc -march=x86-64-v4) ;;
  esac
  echo "fuzz: building module $module (${#sources[@]} files)"
  if ! swiftc "${sanitize[@]}" "${swift_flags[@]}" "${module_opt[@]}" "${march[@]}" "${include_flags[@]}" \
    -module-name "$module" -emit-module -emit-module-path "$build/$module.swiftmodule" \
    -emit-library -static -o "$build/lib$module.a" "${sources[@]}" \
    >"$build/$module.log" 2>&1; then
    cat "$build/$module.log" >&2
    echo "fuzz: module $module failed to build" >&2
    return 1
  fi
  built[$module]=1
}

# Linker flags for a module: its static library, or a C module's libraries.
module_link_flags() {
  local module=$1
  local dir=Sources/$module
  if [ -f "$dir/module.modulemap" ]; then
    sed -n 's/.*link "\([^"]*\)".*/-l\1/p' "$dir/module.modulemap"
  else
    echo "-l$module"
  fi
}

# Helpers shared by harnesses (Tests/Fuzz/Support/*.swift) are compiled into each.
support=()
for f in Tests/Fuzz/Support/*.swift; do
  [ -e "$f" ] && support+=("$f")
done

declare -a summary=()
failed=0
for name in "${harnesses[@]}"; do
  harness=Tests/Fuzz/$name.swift
  first=$(head -n 1 "$harness")
  if [[ ! "$first" =~ ^//\ fuzz-modules:\ (.*)$ ]]; then
    echo "fuzz: $harness: first line must be '// fuzz-modules: MODULE...'" >&2
    exit 2
  fi
  read -r -a modules <<<"${BASH_REMATCH[1]}"
  link_flags=()
  for module in "${modules[@]}"; do
    build_module "$module" || exit 1
    mapfile -t -O "${#link_flags[@]}" link_flags < <(module_link_flags "$module")
  done

  echo "fuzz: building harness $name (modules: ${modules[*]})"
  exe=$build/fuzz-$name
  if ! swiftc "${sanitize[@]}" "${swift_flags[@]}" "$harness_opt" "${include_flags[@]}" -L "$build" \
    -module-name "fuzz_$name" "$harness" "${support[@]}" "${link_flags[@]}" -o "$exe" \
    >"$build/fuzz-$name.log" 2>&1; then
    cat "$build/fuzz-$name.log" >&2
    echo "fuzz: harness $name failed to build" >&2
    exit 1
  fi

  corpus=$out/$name/corpus
  artifacts=$out/$name/artifacts/
  seeds=Tests/FuzzCorpus/$name
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus")
  if [ -d "$seeds" ]; then dirs+=("$seeds"); fi
  # An optional libFuzzer dictionary (tokens such as JSON keys) next to the harness.
  dict=()
  if [ -f "Tests/Fuzz/$name.dict" ]; then dict=(-dict="Tests/Fuzz/$name.dict"); fi
  log=$out/$name/fuzz.log
  echo "fuzz: running $name for ${seconds}s (log: $log)"
  set +e
  "$exe" -max_total_time="$seconds" -timeout="$timeout_per_input" \
    -rss_limit_mb="$rss_limit_mb" -print_final_stats=1 \
    -artifact_prefix="$artifacts" "${dict[@]}" "${dirs[@]}" >"$log" 2>&1
  status=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  files=$(find "$corpus" -type f | wc -l)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
  if [ $status -ne 0 ]; then
    failed=1
    echo "fuzz: $name FAILED (exit $status); last lines of $log:" >&2
    grep -E 'ERROR|Fatal error|fatal|failure|SUMMARY|Test unit written|timeout|leak' "$log" \
      | head -n 20 >&2 || true
    echo "fuzz: reproduce with: $exe ${artifacts}<file>" >&2
    summary+=("$name: FAILED exit $status, artifacts in $artifacts")
  else
    note=""
    if [ "${rate:-0}" -lt 100 ]; then note=" (SLOW: under 100 exec/s, the harness finds little)"; fi
    summary+=("$name: ok ${execs:-?} execs, ${rate:-?} exec/s, corpus $files files, ${cov:-cov ?}$note")
  fi
done

echo "fuzz: summary (${seconds}s per harness)"
for line in "${summary[@]}"; do echo "  $line"; done
exit $failed
