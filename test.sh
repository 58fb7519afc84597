#!/usr/bin/env bash
# Runs every test of FlowDashboard on a fresh machine: installs what is missing, checks formatting and
# that the migrations match the model, then runs every test project. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")"

echo "==> tools (dotnet-ef, pinned in .config/dotnet-tools.json)"
dotnet tool restore

source scripts/private-postgres.sh

echo "==> chromium (Debian's, driven by Playwright in the browser tests; Playwright downloads no browser)"
if ! command -v chromium >/dev/null 2>&1; then
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
chromium --version 2>/dev/null

echo "==> postgresql (Debian's; a private cluster on a free loopback port, for the tests on the PostgreSQL store)"
# Thrown away after the tests, so it does not sync to disk: a killed host loses nothing while PostgreSQL runs on.
start_private_postgres fsync=off synchronous_commit=off full_page_writes=off
export FLOWDASHBOARD_TEST_POSTGRES="$PRIVATE_POSTGRES"

echo "==> build"
dotnet build FlowDashboard.sln -c Debug -warnaserror

echo "==> format"
dotnet format FlowDashboard.sln --verify-no-changes --no-restore

echo "==> migrations match the model"
for provider in Sqlite PostgreSql; do
  dotnet ef migrations has-pending-model-changes --no-build --project "migrations/FlowDashboard.Migrations.$provider"
done
rm -f design-time.db design-time.db-shm design-time.db-wal

echo "==> tests"
rm -rf test-results && mkdir test-results
status=0
# The packaging test packs a Release build of its own: it runs last, alone, so it takes no core from the timed tests.
dotnet test FlowDashboard.sln --no-build --filter "FullyQualifiedName!~FlowDashboard.Packaging.Tests" --results-directory test-results \
  --logger "trx" --logger "console;verbosity=normal" 2>&1 | tee test-results/console.log || status=$?

echo "==> the engine's, the API's, the console's, the browser's and the crash tests again, on PostgreSQL (each host on a database of its own in the private cluster)"
for project in Core Console Browser Host; do
  # Of the host's tests, the crash tests (one host killed twice; three nodes killed twelve times): the rest run the
  # example host on SQLite whatever the store.
  filter=""; if [ "$project" = Host ]; then filter="--filter FullyQualifiedName~CrashRecoveryTests|FullyQualifiedName~ClusterChaosTests"; fi
  FLOWDASHBOARD_TEST_STORE=postgresql dotnet test "tests/FlowDashboard.$project.Tests" --no-build $filter --results-directory test-results \
    --logger "trx;LogFilePrefix=postgresql" --logger "console;verbosity=normal" 2>&1 | tee -a test-results/console.log || status=$?
done

echo "==> the packages: packed, installed by version into a fresh 'dotnet new web' app, which runs the README's Program.cs"
dotnet test tests/FlowDashboard.Packaging.Tests --no-build --results-directory test-results \
  --logger "trx;LogFilePrefix=packaging" --logger "console;verbosity=normal" 2>&1 | tee -a test-results/console.log || status=$?

# Each failed test again, near the end where a log cut to its tail still shows it: its message, the top of its
# stack and the last lines of its output (a test host writes its log there).
awk '
  function flush() {
    if (kept > 0) { first = kept > 20 ? kept - 19 : 1; if (first > 1) print "   ..."; for (i = first; i <= kept; i++) print output[i] }
    kept = 0; section = ""
  }
  /^  Failed / { flush(); block = 1; print; next }
  block && /^  (Passed|Skipped) |^Results File:|^Test Run |^\[xUnit/ { flush(); block = 0 }
  block && /^  Error Message:/ { section = "message"; n = 0; print; next }
  block && /^  Stack Trace:/ { section = "stack"; n = 0; print; next }
  block && /^  Standard Output Messages:/ { section = "output"; print; next }
  block && section == "message" && ++n <= 15 { print }
  block && section == "stack" && ++n <= 3 { print }
  block && section == "output" { output[++kept] = $0 }
  END { flush() }
' test-results/console.log

# One closing line for whoever reads the log, summed over every project's TRX: "N passed, N failed".
cat test-results/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | awk '
  { for (i = 2; i <= NF; i++) { split($i, kv, "="); gsub("\"", "", kv[2]); n[kv[1]] += kv[2] } }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", n["passed"], n["failed"] + n["error"] + n["timeout"] + n["aborted"], n["total"] - n["executed"] }'
# The failed tests by name, last, where a log cut to its tail still shows them.
cat test-results/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*' | grep -o 'testName="[^"]*"' \
  | sed 's/^testName="/  failed: /; s/"$//' || true
exit "$status"
