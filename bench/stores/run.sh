#!/usr/bin/env bash
# Session lookups per second, event publishing throughput and event fan-out latency across two instances, for SQLite,
# PostgreSQL, MySQL (MariaDB), Redis and NATS JetStream (events only), measured the same way (bench/StoreBench). Starts a
# private PostgreSQL, MariaDB, redis-server and nats-server on free ports, like the tests.
#
#   bench/stores/run.sh            report in bench/results/stores.md
#   bench/stores/run.sh --quick    a short run, report on standard output only
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=5; events=300; out="bench/results/stores.md"
if [[ "${1:-}" == "--quick" ]]; then seconds=1; events=30; out=""; fi

pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
work="$(mktemp -d)"
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_postgres() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

as_mysql() { if [[ "$(id -u)" == 0 ]]; then runuser -u mysql -- "$@"; else "$@"; fi; }

pg_port="$(free_port)"; redis_port="$(free_port)"; maria_port="$(free_port)"; nats_port="$(free_port)"
mkdir -p "$work/pg" "$work/maria" "$work/nats" && { [[ "$(id -u)" != 0 ]] || chown postgres "$work/pg"; } \
  && { [[ "$(id -u)" != 0 ]] || chown mysql "$work/maria"; } && { [[ "$(id -u)" != 0 ]] || chown nobody "$work/nats"; }
as_nobody() { if [[ "$(id -u)" == 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
cleanup() {
  [[ -f "$work/nats/pid" ]] && kill "$(cat "$work/nats/pid")" 2> /dev/null || true
  [[ -f "$work/maria/pid" ]] && kill "$(cat "$work/maria/pid")" 2> /dev/null && sleep 1 || true
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop > /dev/null 2>&1 || true
  redis-cli -p "$redis_port" shutdown nosave > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

as_postgres "$pg_bin/initdb" -D "$work/pg/data" -A trust -U tessera -E UTF8 > /dev/null
# fsync stays on: the figures are for a durable PostgreSQL.
as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start > /dev/null
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log"
as_mysql mariadb-install-db --no-defaults --datadir="$work/maria/data" --auth-root-authentication-method=normal --skip-test-db > /dev/null
# Durable like PostgreSQL above: InnoDB flushes its log at every commit (the default).
as_mysql /usr/sbin/mariadbd --no-defaults --datadir="$work/maria/data" --socket="$work/maria/s.sock" --port="$maria_port" \
  --bind-address=127.0.0.1 --skip-networking=0 --pid-file="$work/maria/pid" --log-error="$work/maria/error.log" > /dev/null 2>&1 &
as_nobody /usr/sbin/nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$work/nats/js" -P "$work/nats/pid" -l "$work/nats/log" &
for _ in $(seq 1 100); do mariadb --no-defaults -h 127.0.0.1 -P "$maria_port" -u root -e 'CREATE DATABASE IF NOT EXISTS bench' 2> /dev/null && break; sleep 0.1; done

dotnet publish bench/StoreBench -c Release -o "$work/bench" --nologo -v quiet > /dev/null
table="$(dotnet "$work/bench/StoreBench.dll" "--postgres=Host=127.0.0.1;Port=$pg_port;Username=tessera;Database=postgres" \
  "--redis=127.0.0.1:$redis_port" "--mysql=Server=127.0.0.1;Port=$maria_port;User ID=root;Database=bench" "--nats=nats://127.0.0.1:$nats_port" \
  "--seconds=$seconds" "--events=$events")"
echo "$table"

if [[ -n "$out" ]]; then
  {
    echo "# Store backends: session lookups, event publishing and fan-out across instances"
    echo
    echo "Measured by \`bench/stores/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), Release build; PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'),"
    echo "MariaDB $(/usr/sbin/mariadbd --version | sed -E 's/.*Ver ([0-9.]+)-.*/\1/'), NATS $(/usr/sbin/nats-server --version | sed -E 's/.*v([0-9.]+).*/\1/') and Redis $(redis-server --version | sed -E 's/.*v=([0-9.]+).*/\1/') on the same machine over loopback, default Tessera options."
    echo "Two Tessera instances share each store. Lookups: \`ISessionStore.FindAsync\` of existing sessions by 8 concurrent"
    echo "callers for ${seconds} s. Writes: \`ISessionStore.TryUpdateStateAsync\` by 32 concurrent writers, two sessions each, for"
    echo "${seconds} s. Publishing: 4 publishers on instance A for ${seconds} s. Fan-out: publish on instance A until a"
    echo "subscriber on instance B has the event, ${events} events one at a time."
    echo
    echo "$table"
  } > "$out"
  echo "report written to $out" >&2
fi
