#!/usr/bin/env bash
# What TesseraClient costs: HelloService (Release) on 127.0.0.1 and ClientBench (Release) calling math.add over JSON-RPC
# three ways in alternating rounds; report in bench/results/client.md.
#
#   bench/client/run.sh            5 s per way and round, 3 rounds
#   bench/client/run.sh --quick    1 s, 1 round, report to standard output only
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=5; rounds=3; out="bench/results/client.md"
if [[ "${1:-}" == "--quick" ]]; then seconds=1; rounds=1; out=""; fi

work="$(mktemp -d)"
trap 'kill "$server" 2> /dev/null || true; rm -rf "$work"' EXIT
dotnet publish samples/HelloService -c Release -o "$work/hello" > /dev/null
dotnet publish bench/ClientBench -c Release -o "$work/bench" > /dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dotnet "$work/hello/HelloService.dll" --port="$port" --database=memory --Logging:LogLevel:Default=Warning > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/_tessera/openrpc.json" && break; sleep 0.1; done

table="$(dotnet "$work/bench/ClientBench.dll" "http://127.0.0.1:$port/" "$seconds" "$rounds")"
echo "$table"
if [[ -n "$out" ]]; then
  {
    echo "# TesseraClient against a hand-written HttpClient call"
    echo
    echo "math.add(40, 2) over JSON-RPC to HelloService (Release, in-memory store) on 127.0.0.1, 32 concurrent callers in one"
    echo "process, ${seconds} s per way, ${rounds} rounds in alternating order; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs),"
    echo ".NET $(dotnet --version), $(date -u +%Y-%m-%d). Client and server share the machine, so calls/s is bounded by the server;"
    echo "the ratio says what the client adds, and bytes per call what it allocates (measured in the client process)."
    echo
    echo "$table"
  } > "$out"
  echo "report: $out"
fi
