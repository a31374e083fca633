#!/usr/bin/env bash
# Runs every test: pure core tests, and the app against a real Azurite that the tests start
# themselves (in memory, on free ports), so nothing needs to be running first.
set -uo pipefail
cd "$(dirname "$0")"

[ -d node_modules/azurite ] || npm ci --no-audit --no-fund || exit 1

log=$(mktemp)
dotnet test Automation.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)! +- +Failed: /{
  for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
