#!/usr/bin/env bash
# Packs FlowDashboard's packages (the engine, the console, the two stores and their migrations) with their symbols
# into artifacts/packages, or the folder given first. A version may follow (default: the one in Directory.Build.props).
#   ./scripts/pack.sh                       -> artifacts/packages/FlowDashboard.*.0.9.0.nupkg
#   ./scripts/pack.sh /tmp/feed 0.9.1-dev   -> /tmp/feed/FlowDashboard.*.0.9.1-dev.nupkg
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
version_args=()
if [ -n "${2:-}" ]; then version_args=("-p:Version=$2"); fi
for project in src/FlowDashboard.Core src/FlowDashboard.Console src/FlowDashboard.Sqlite src/FlowDashboard.PostgreSql \
               migrations/FlowDashboard.Migrations.Sqlite migrations/FlowDashboard.Migrations.PostgreSql; do
  dotnet pack "$project" -c Release -o "$out" "${version_args[@]}" -warnaserror -nologo -v quiet
done
ls "$out"
