#!/usr/bin/env bash
# The bench's P0, W1 and W2 on PostgreSQL beside SQLite, and W4 (one node and two on one PostgreSQL database): starts a
# private cluster with PostgreSQL's default durability (fsync and synchronous_commit on, as a production server runs),
# runs the bench on it, and stops it.
# Arguments go to the bench: bench/postgres.sh --quick
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/private-postgres.sh
echo "==> postgresql (a private, durable cluster for the bench)"
start_private_postgres
dotnet run -c Release --project bench/FlowDashboard.Bench -- --only P0,W1,W2,W4 --postgres "$PRIVATE_POSTGRES" "$@"
