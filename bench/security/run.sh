#!/usr/bin/env bash
# Login guessing and hashing fairness against HelloService in Release on 127.0.0.1 (see login_guesses.py).
#   bench/security/run.sh [SECONDS]     default 20 seconds per measurement
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
work="$(mktemp -d)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2> /dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet publish samples/HelloService -c Release -o "$work/hello" --nologo -v quiet > /dev/null
export Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production
start() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  dotnet "$work/hello/HelloService.dll" --port="$port" --host=0.0.0.0 --database=memory "$@" > "$work/service.log" 2>&1 & pid=$!
  for _ in $(seq 1 200); do curl -sf -o /dev/null "http://127.0.0.1:$port/greeting/hello?name=x" && break; sleep 0.05; done
}

echo "machine: $(nproc) cores, $(uname -r); max_concurrent_hashes default (half the cores)"
echo "== defaults"
start
python3 bench/security/login_guesses.py "$port" "$seconds"
kill "$pid"; wait "$pid" 2> /dev/null || true
# With sign-in throttling off every attacker request is hashed: what the fair hashing gate alone achieves.
echo "== throttling off (login_failures_per_address and _per_account huge): the hashing gate alone"
start --login_failures_per_address=100000000 --login_failures_per_account=100000000
python3 bench/security/login_guesses.py "$port" "$seconds"
