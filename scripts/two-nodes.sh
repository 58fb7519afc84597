#!/usr/bin/env bash
# Two standalone hosts on one PostgreSQL, on this machine, to watch FlowDashboard scale out: starts a private cluster
# (installing Debian's postgresql when it is missing; thrown away when this script ends), builds the host once, starts
# node 1 and, once it has created and migrated the database, node 2, and stops everything on Ctrl-C. Ports: 5001 and
# 5002 unless given (scripts/two-nodes.sh 6001 6002). Kill a node (kill -9 <its pid>) and watch the other carry on.
set -euo pipefail
cd "$(dirname "$0")/.."
ports=("${1:-5001}" "${2:-5002}")
source scripts/private-postgres.sh
echo "==> postgresql (a private cluster for the two nodes)"
start_private_postgres
flows="${PRIVATE_POSTGRES/Database=postgres/Database=flows}"

echo "==> build"
dotnet build src/FlowDashboard.Host -c Debug -nologo -v q

pids=()
stop_nodes() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop_nodes; exit 130' INT TERM
for i in 0 1; do
  port=${ports[$i]}
  dotnet src/FlowDashboard.Host/bin/Debug/net10.0/FlowDashboard.Host.dll --urls "http://127.0.0.1:$port" \
    --FlowDashboard:Store=PostgreSql --ConnectionStrings:Flows="$flows" &
  pids+=($!)
  # Kestrel listens once the node has started (the first one has created and migrated the database by then).
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "node $((i + 1)) exited" >&2; stop_nodes; exit 1; }
    sleep 0.5
  done
done

echo
echo "node 1: http://127.0.0.1:${ports[0]}/flows  (pid ${pids[0]})"
echo "node 2: http://127.0.0.1:${ports[1]}/flows  (pid ${pids[1]})"
echo "database: $flows"
echo "Ctrl-C stops both nodes and the cluster."
wait
