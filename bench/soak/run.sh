#!/usr/bin/env bash
# Soak and edges: HelloService in Release, SQLite file database, under every wire at once for --minutes (errors, resident
# memory, descriptors and threads over time), then, on a fresh instance, greeting.hello's latency while 2,000 idle and
# 500 slowloris connections are held and while 200 logins arrive at once. The driver is bench/Soak.
#
#   bench/soak/run.sh --minutes 60     the report's run, written to bench/results/soak.md
#   bench/soak/run.sh --minutes 1 --edges 200,50,20 --latency-goal off --out FILE
#                                      CI's short run: wrong answers fail it, the latency goal is only reported
# Exits non-zero when any answer was wrong or a goal was missed.
set -euo pipefail
cd "$(dirname "$0")/../.."

minutes=60
out="bench/results/soak.md"
idle=2000; slowloris=500; logins=200; latency=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --edges) read -r idle slowloris logins <<< "${2//,/ }"; shift 2 ;;
    --latency-goal) [[ $2 == off ]] && latency=report-latency; shift 2 ;;
    *) echo "usage: $0 [--minutes N] [--out FILE] [--edges IDLE,SLOWLORIS,LOGINS] [--latency-goal off]" >&2; exit 2 ;;
  esac
done

source bench/servers.sh

echo "building Release..." >&2
dotnet publish samples/HelloService -c Release -o "$work/hello" --nologo -v quiet > /dev/null
dotnet publish bench/Soak -c Release -o "$work/soak" --nologo -v quiet > /dev/null

export Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production
# 2,500 held connections need as many descriptors on each side.
ulimit -n 65536 2> /dev/null || ulimit -n "$(ulimit -Hn)"

start_service() { # name -> sets port and pid
  port=$(free_port); mkdir -p "$work/$1"
  dotnet "$work/hello/HelloService.dll" --port="$port" --database=sqlite --data_dir="$work/$1" > "$work/$1.log" 2>&1 & pid=$!; pids+=($pid)
  wait_ready "http://127.0.0.1:$port/greeting/hello?name=x"
}

status=0
start_service soak
echo "soak: $minutes minute(s) against pid $pid" >&2
dotnet "$work/soak/Soak.dll" mixed "http://127.0.0.1:$port" "$pid" "$minutes" "$work/soak.md" "bench/soak/run.sh --minutes $minutes" > /dev/null || status=1
kill "$pid"; wait "$pid" 2> /dev/null || true
data_size=$(du -sk "$work/soak" | cut -f1)

start_service edges
echo "edges: $idle idle, $slowloris slowloris, $logins logins" >&2
dotnet "$work/soak/Soak.dll" edges "http://127.0.0.1:$port" "$idle" "$slowloris" "$logins" "$work/edges.md" $latency > /dev/null || status=1
kill "$pid"; wait "$pid" 2> /dev/null || true

# Errors the server logged are part of the report: a soak that logs failures is not clean. Warnings are listed by
# category (the start-up ones, such as a missing jwt_key, are expected for this configuration).
failures=$(cat "$work/soak.log" "$work/edges.log" | grep -cE '^(fail|crit)' || true)
warnings=$(cat "$work/soak.log" "$work/edges.log" | grep -E '^warn' | sort | uniq -c | sed 's/^ */- /' || true)
{
  cat "$work/soak.md"
  echo
  echo "The SQLite data directory (accounts, sessions, the event log, bounded by event_log_max_count) held $(( data_size / 1024 )) MiB at the end."
  echo
  echo "## Edges: greeting.hello while connections are held and logins arrive"
  echo
  echo "A fresh HelloService (SQLite); the probe calls greeting.hello by URL GET every 10 ms on its own connection."
  echo
  cat "$work/edges.md"
  echo
  echo "Server log lines at error or critical level during both runs: $failures."
  if [[ $failures -gt 0 ]]; then status=1; echo; echo '```'; cat "$work/soak.log" "$work/edges.log" | grep -E -A3 '^(fail|crit)' | head -40; echo '```'; fi
  if [[ -n $warnings ]]; then echo; echo "Warnings logged (count, category):"; echo; echo "$warnings"; fi
} > "$out"
cat "$out"
echo "report: $out" >&2
exit $status
