#!/bin/sh
# Installs what is needed, builds, and runs every test: the full suite (ledger, banks, ui under
# Xvfb), the same suite again under AddressSanitizer + UndefinedBehaviorSanitizer, and each
# parser's libFuzzer harness for a bounded time. Prints "N passed, N failed" at the end.
#   ./scripts/test.sh                FUZZ_SECONDS=30 by default; FUZZ_SECONDS=0 skips fuzzing
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/install-deps.sh || exit 1

fuzz_seconds="${FUZZ_SECONDS:-30}"
corpus=$(./scripts/corpus-dir.sh)
if [ -n "$corpus" ]; then
  echo "corpus: $corpus"
else
  echo "corpus: NOT FOUND (set TREASURY_CORPUS): the tests that read it will skip" >&2
fi
passed=0
failed=0
status=0

count () {
  # $1 = meson build dir: adds its testlog results to the totals
  log="$1/meson-logs/testlog.json"
  [ -f "$log" ] || return
  p=$(grep -c '"result": "OK"' "$log" || true)
  s=$(grep -c '"result": "SKIP"' "$log" || true)
  t=$(grep -c '"result": ' "$log" || true)
  passed=$((passed + p))
  failed=$((failed + t - p - s))
}

run_suite () {
  dir="$1"; shift
  echo "=== build $dir $*"
  [ -d "$dir" ] || meson setup "$dir" "$@" || { status=1; failed=$((failed + 1)); return; }
  [ -z "$corpus" ] || meson configure "$dir" -Dcorpus="$corpus" >/dev/null || status=1
  ninja -C "$dir" || { status=1; failed=$((failed + 1)); return; }
  xvfb-run -a -s "-screen 0 1400x900x24" meson test -C "$dir" --print-errorlogs --num-processes 2 \
    || status=1
  count "$dir"
}

run_suite build --buildtype=debugoptimized
run_suite build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

if [ "$fuzz_seconds" -gt 0 ]; then
  echo "=== fuzz (clang, libFuzzer, ${fuzz_seconds}s each)"
  if [ ! -d build-fuzz ]; then
    CC=clang meson setup build-fuzz -Dfuzz=true -Dgui=false -Db_sanitize=address,undefined \
      -Db_lundef=false --buildtype=debug >/dev/null || status=1
  fi
  # only the harnesses: the rest of this tree is built and tested above
  targets=""
  for src in tests/fuzz/fuzz-*.c; do
    targets="$targets tests/fuzz/$(basename "$src" .c)"
  done
  ninja -C build-fuzz $targets || status=1
  for src in tests/fuzz/fuzz-*.c; do
    h="build-fuzz/tests/fuzz/$(basename "$src" .c)"
    name=$(basename "$src" .c | sed 's/^fuzz-//')
    if [ ! -x "$h" ]; then
      echo "fuzz $name: not built"; failed=$((failed + 1)); status=1; continue
    fi
    work=$(mktemp -d)
    [ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/"
    if "$h" "$work" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=1024 \
         -print_final_stats=0 >"$work.log" 2>&1; then
      echo "fuzz $name: ok"
      passed=$((passed + 1))
    else
      echo "fuzz $name: FAILED"; tail -40 "$work.log"
      failed=$((failed + 1)); status=1
    fi
    rm -rf "$work" "$work.log"
  done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
