#!/usr/bin/env bash
# fuzz.sh runs every Go fuzz target of the repository (func FuzzXxx in a
# *_fuzz_test.go file) for FUZZTIME each (default 60s), one after the
# other, and prints one line per target: executions, new inputs found,
# result. A failing input is kept by Go in the package's
# testdata/fuzz/FuzzXxx/ folder (commit it with the fix: it becomes a seed).
# `make test` already runs every seed corpus as normal tests.
#   FUZZTIME=10m scripts/fuzz.sh            # longer runs
#   FUZZ_ONLY=FuzzAudioFile scripts/fuzz.sh # one target
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-60s}
PARALLEL=${FUZZ_PARALLEL:-2}
failed=0
summary=()
while IFS=: read -r file name; do
  pkg="./$(dirname "$file")"
  [ -n "${FUZZ_ONLY:-}" ] && [ "$name" != "$FUZZ_ONLY" ] && continue
  log=$(mktemp)
  if "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 10s -parallel "$PARALLEL" "$pkg" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    failed=1
    tail -n 30 "$log"
  fi
  last=$(grep -o 'execs: [0-9]*' "$log" | tail -1)
  found=$(grep -o 'new interesting: [0-9]*' "$log" | tail -1)
  summary+=("$(printf '%-28s %-22s %-14s %-22s %s' "$name" "$pkg" "${last:-execs: ?}" "${found:-new interesting: 0}" "$result")")
  rm -f "$log"
done < <(grep -rHo --include='*_fuzz_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's|^\./||; s|:func |:|' | sort)
printf '\nfuzzing, %s per target (%s):\n' "$FUZZTIME" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '%s\n' "${summary[@]}"
exit $failed
