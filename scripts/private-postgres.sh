# Sourced, not run: starts a private PostgreSQL cluster for this shell, as ./test.sh and bench/postgres.sh need one.
# Installs Debian's postgresql when it is missing (never depends on a server the machine did not start: the default
# cluster does not start in every sandbox), runs initdb into a temp folder (as the postgres user when root, since
# initdb refuses root), listens on 127.0.0.1 only, on a free port, and stops and deletes the cluster when the shell
# exits. Usage: start_private_postgres [server option]... ; then $PRIVATE_POSTGRES is an admin connection string.

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

start_private_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ]; then
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  pg_dir=$(mktemp -d /tmp/flowdashboard-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; fi
  pg_port=""
  for candidate in $(shuf -i 20000-60000 -n 50); do
    if ! (echo >"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then pg_port=$candidate; break; fi
  done
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U flowdashboard --auth=trust -E UTF8 --locale=C >/dev/null
  local options="-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=400"
  for option in "$@"; do options="$options -c $option"; done
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -o "$options" start >/dev/null
  trap 'as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
  PRIVATE_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=flowdashboard;Database=postgres"
  "$pg_bin/postgres" --version
}
