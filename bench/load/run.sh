#!/usr/bin/env bash
# Whole-server load harness: HelloService against a plain ASP.NET Core Minimal API doing the same work (bench/Baseline),
# both in Release on 127.0.0.1, driven by wrk at fixed connections and duration. Baseline and Tessera alternate in
# every round (and swap order between rounds) so drift cancels; the report gives medians and ratios.
#
#   bench/load/run.sh            full run (about thirty minutes on two cores), report in bench/results/load.md
#   bench/load/run.sh --quick    a few seconds per scenario, report in a temporary file (what CI runs)
set -euo pipefail
# Steps run quietly; a failing one says which it was rather than ending the run without a word.
trap 'echo "bench/load/run.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/../.."

quick=0
out="bench/results/load.md"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; out="$(mktemp --suffix=.md)"; shift ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: $0 [--quick] [--out FILE]" >&2; exit 2 ;;
  esac
done

if [[ $quick -eq 1 ]]; then duration=2s; rounds=1; else duration=10s; rounds=5; fi
connections=32
threads=2

if ! command -v wrk > /dev/null; then
  echo "wrk is missing; installing it from Debian's packages" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null) || { echo "could not install wrk" >&2; exit 1; }
fi

source bench/servers.sh

echo "building Release..." >&2
dotnet publish samples/HelloService -c Release -o "$work/hello" --nologo -v quiet > /dev/null
dotnet publish bench/Baseline -c Release -o "$work/baseline" --nologo -v quiet > /dev/null
dotnet publish bench/LoadClient -c Release -o "$work/client" --nologo -v quiet > /dev/null
# Everything the run starts is published here, before the first round: a run takes half an hour, and a publish
# half-way would build whatever the working tree holds by then.
dotnet publish samples/HelloService -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/hello-r2r" --nologo -v quiet > /dev/null
dotnet publish bench/Baseline -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/baseline-r2r" --nologo -v quiet > /dev/null
# Self-contained with one composite ReadyToRun image of the service and the framework: the generic code that crosses
# assemblies (async state machines over the service's types, collections over framework types) is precompiled too.
# About 190 MB each and a few minutes to publish, so a quick run leaves it out.
if [[ $quick -eq 0 ]]; then
  # In intermediate folders of their own (src/Tessera/build/Tessera.props, imported by Directory.Build.props): a
  # composite's stub taken for the plain ReadyToRun publish of the next run aborts at start (dotnet/sdk#55436).
  composite=(-c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true
             --nologo -v quiet)
  dotnet publish samples/HelloService "${composite[@]}" -o "$work/hello-composite" > /dev/null
  dotnet publish bench/Baseline "${composite[@]}" -o "$work/baseline-composite" > /dev/null
  # Native AOT (docs/deployment.md), about 4 minutes each here. Warnings stay warnings: third-party libraries print
  # some (the MessagePack library the baseline's MessagePack route uses; StackExchange.Redis and Newtonsoft.Json in
  # HelloService, as NativeAotServiceTests lists), and neither start-up path reaches them.
  aot=(-c Release -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=false --nologo -v quiet)
  dotnet publish samples/HelloService "${aot[@]}" -o "$work/hello-aot" > /dev/null
  dotnet publish bench/Baseline "${aot[@]}" -o "$work/baseline-aot" > /dev/null
fi

# Both servers log warnings only, so neither pays for per-request logging.
export Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production

tessera_port=$(free_port); baseline_port=$(free_port)
dotnet "$work/hello/HelloService.dll" --port="$tessera_port" --database=memory > "$work/tessera.log" 2>&1 & pids+=($!); tessera_pid=$!
dotnet "$work/baseline/Baseline.dll" --urls "http://127.0.0.1:$baseline_port" > "$work/baseline.log" 2>&1 & pids+=($!); baseline_pid=$!
wait_ready "http://127.0.0.1:$tessera_port/greeting/hello?name=x"
wait_ready "http://127.0.0.1:$baseline_port/greeting/hello?name=x"

# Sessions for the authenticated scenario.
tessera_session=$(curl -s "http://127.0.0.1:$tessera_port/account/create" -H 'Content-Type: application/json' \
  -d '{"user_id":"bench","password":"bench-password-1"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["result"]["session_id"])')
read -r baseline_session baseline_key < <(curl -s -X POST "http://127.0.0.1:$baseline_port/login" | python3 -c 'import sys,json; r=json.load(sys.stdin)["result"]; print(r["session_id"], r["key"])')

# One wrk Lua script per request shape.
script() { # name method path body [session] [content-type]
  {
    echo "wrk.method = \"$2\""
    echo "wrk.path = \"$3\""
    if [[ -n "$4" ]]; then
      echo "wrk.body = [==[$4]==]"
      echo "wrk.headers[\"Content-Type\"] = \"${6:-application/json}\""
    fi
    if [[ -n "${5:-}" ]]; then
      echo "wrk.headers[\"x-toto-session-id\"] = \"$5\""
    fi
  } > "$work/$1.lua"
}
envelope='{"method":"greeting.hello","parameters":{"name":"ada"}}'
jsonrpc='{"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"ada"},"id":1}'
batch=$(python3 -c 'import json; print(json.dumps({"batch": {f"k{i}": {"method": "greeting.hello", "parameters": {"name": f"n{i}"}} for i in range(10)}}, separators=(",", ":")))')
jsonrpc_batch=$(python3 -c 'import json; print(json.dumps([{"jsonrpc": "2.0", "method": "greeting.hello", "params": {"name": f"n{i}"}, "id": i} for i in range(10)], separators=(",", ":")))')
xmlrpc='<?xml version="1.0"?><methodCall><methodName>greeting.hello</methodName><params><param><value><string>ada</string></value></param></params></methodCall>'
script envelope POST / "$envelope"
script jsonrpc_batch POST /api "$jsonrpc_batch"
script xmlrpc POST /RPC2 "$xmlrpc" "" "text/xml"
# MessagePack: {"method": "greeting.hello", "parameters": {"name": "ada"}} as bytes, in a Lua string of decimal escapes.
python3 - "$work/msgpack.lua" <<'PY'
import sys
body = bytes([0x82, 0xa6]) + b"method" + bytes([0xae]) + b"greeting.hello" + bytes([0xaa]) + b"parameters" + bytes([0x81, 0xa4]) + b"name" + bytes([0xa3]) + b"ada"
open(sys.argv[1].replace(".lua", ".body"), "wb").write(body)
open(sys.argv[1], "w").write('wrk.method = "POST"\nwrk.path = "/"\nwrk.headers["Content-Type"] = "application/msgpack"\nwrk.body = "' + "".join(f"\\{b}" for b in body) + '"\n')
PY
script get GET "/greeting/hello?name=ada" ""
script jsonrpc POST /api "$jsonrpc"
script batch POST / "$batch"
script tessera_auth POST /counter/increment "{}" "$tessera_session"
script baseline_auth POST /counter/increment "{}" "$baseline_session"
# A diagnostic, not a target's row: the baseline's authenticated call also reading and parsing the body it is sent.
script baseline_auth_parse POST /counter/increment/parse-body "{}" "$baseline_session"

# Each scenario must answer a result on both servers before it is measured.
check() { curl -s -X "$2" "$1" ${3:+-H 'Content-Type: application/json' -d "$3"} ${4:+-H "x-toto-session-id: $4"} | grep -q '"result"' || { echo "scenario check failed: $1" >&2; exit 1; }; }
for port in "$tessera_port" "$baseline_port"; do
  check "http://127.0.0.1:$port/" POST "$envelope"; check "http://127.0.0.1:$port/greeting/hello?name=ada" GET
  check "http://127.0.0.1:$port/api" POST "$jsonrpc"; check "http://127.0.0.1:$port/" POST "$batch"
  check "http://127.0.0.1:$port/api" POST "$jsonrpc_batch"
  curl -s "http://127.0.0.1:$port/RPC2" -H 'Content-Type: text/xml' -d "$xmlrpc" | grep -q '<string>hello ada</string>' || { echo "scenario check failed: xmlrpc on $port" >&2; exit 1; }
  curl -s "http://127.0.0.1:$port/" -H 'Content-Type: application/msgpack' --data-binary @"$work/msgpack.body" | grep -aq 'hello ada' || { echo "scenario check failed: msgpack on $port" >&2; exit 1; }
done
check "http://127.0.0.1:$tessera_port/counter/increment" POST "{}" "$tessera_session"
check "http://127.0.0.1:$baseline_port/counter/increment" POST "{}" "$baseline_session"
check "http://127.0.0.1:$baseline_port/counter/increment/parse-body" POST "{}" "$baseline_session"

results="$work/results.tsv"
# Server CPU (user + system, all threads) in clock ticks, read around every measured run: what each request costs the
# server itself, beside req/s, which on two cores also depends on how much of them wrk takes. On a shared host it moves
# with a neighbour's load much as req/s does (a slowed vCPU spends more time per request), so it is read the same way:
# per-round ratios, their spread in brackets.
ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# Rows of results.tsv: server, scenario, req/s, p50 ms, p99 ms, server CPU us per request.
run() { # server scenario script port pid
  local output before; before=$(cpu_ticks "$5")
  output=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/$3.lua" "http://127.0.0.1:$4")
  local ticks=$(( $(cpu_ticks "$5") - before ))
  if grep -q "Non-2xx" <<< "$output"; then echo "non-2xx answers in $1 $2" >&2; echo "$output" >&2; exit 1; fi
  printf '%s\n' "$output" > "$work/wrk.txt"
  python3 - "$1" "$2" "$work/wrk.txt" "$ticks" "$ticks_per_second" >> "$results" <<'PY'
import re, sys
text = open(sys.argv[3]).read()
def ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"\s50%\s+(\S+)", text).group(1))
p99 = ms(re.search(r"\s99%\s+(\S+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
cpu = int(sys.argv[4]) / int(sys.argv[5]) * 1e6 / requests
print(f"{sys.argv[1]}\t{sys.argv[2]}\t{rps}\t{p50}\t{p99}\t{cpu:.2f}")
PY
}
# The same row for a load client run: it prints calls/s, p50, p99, failures and calls.
client_run() { # server scenario pid client-arguments...
  local server=$1 scenario=$2 pid=$3 before; shift 3; before=$(cpu_ticks "$pid")
  local rps p50 p99 failures calls
  read -r rps p50 p99 failures calls < <(dotnet "$work/client/LoadClient.dll" "$@")
  [[ -n ${calls:-} && $failures == 0 ]] || { echo "the load client failed in $server $scenario (failures: ${failures:-none read})" >&2; exit 1; }
  local ticks=$(( $(cpu_ticks "$pid") - before ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$scenario" "$rps" "$p50" "$p99" \
    "$(python3 -c "print(f'{$ticks / $ticks_per_second * 1e6 / $calls:.2f}')")" >> "$results"
}

scenarios=(envelope get jsonrpc batch jsonrpc_batch xmlrpc msgpack auth)
echo "warming up..." >&2
for scenario in "${scenarios[@]}"; do
  tessera_script=$scenario; baseline_script=$scenario
  [[ $scenario == auth ]] && { tessera_script=tessera_auth; baseline_script=baseline_auth; }
  wrk -t"$threads" -c"$connections" -d1s -s "$work/$tessera_script.lua" "http://127.0.0.1:$tessera_port" > /dev/null
  wrk -t"$threads" -c"$connections" -d1s -s "$work/$baseline_script.lua" "http://127.0.0.1:$baseline_port" > /dev/null
done
wrk -t"$threads" -c"$connections" -d1s -s "$work/baseline_auth_parse.lua" "http://127.0.0.1:$baseline_port" > /dev/null

for round in $(seq 1 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    tessera_script=$scenario; baseline_script=$scenario
    [[ $scenario == auth ]] && { tessera_script=tessera_auth; baseline_script=baseline_auth; }
    echo "round $round: $scenario" >&2
    if (( round % 2 )); then
      run baseline "$scenario" "$baseline_script" "$baseline_port" "$baseline_pid"; run tessera "$scenario" "$tessera_script" "$tessera_port" "$tessera_pid"
    else
      run tessera "$scenario" "$tessera_script" "$tessera_port" "$tessera_pid"; run baseline "$scenario" "$baseline_script" "$baseline_port" "$baseline_pid"
    fi
    if [[ $scenario == auth ]]; then
      run baseline auth_parse baseline_auth_parse "$baseline_port" "$baseline_pid"
    fi
  done
done

# The authenticated call in signed mode: wrk cannot compute a signature per request, so the load client does, against a
# HelloService with hmac=signed and against the baseline, which verifies the same HMAC-SHA256 by hand.
signed_port=$(free_port)
dotnet "$work/hello/HelloService.dll" --port="$signed_port" --database=memory --hmac=signed > "$work/signed.log" 2>&1 & pids+=($!); signed_pid=$!
wait_ready "http://127.0.0.1:$signed_port/greeting/hello?name=x"
read -r signed_session signed_key < <(curl -s "http://127.0.0.1:$signed_port/account/create" -H 'Content-Type: application/json' \
  -d '{"user_id":"bench","password":"bench-password-1"}' | python3 -c 'import sys,json; r=json.load(sys.stdin)["result"]; print(r["session_id"], r["key"])')
client_seconds=$(( quick ? 2 : 10 ))
echo "warming up the load client..." >&2
dotnet "$work/client/LoadClient.dll" signed "http://127.0.0.1:$baseline_port" "$baseline_session" "$baseline_key" "$connections" 2 > /dev/null
dotnet "$work/client/LoadClient.dll" signed "http://127.0.0.1:$signed_port" "$signed_session" "$signed_key" "$connections" 2 > /dev/null
dotnet "$work/client/LoadClient.dll" signed "http://127.0.0.1:$tessera_port" "$tessera_session" - "$connections" 2 > /dev/null
for round in $(seq 1 "$rounds"); do
  echo "round $round: signed (load client)" >&2
  client_run baseline signed "$baseline_pid" signed "http://127.0.0.1:$baseline_port" "$baseline_session" "$baseline_key" "$connections" "$client_seconds"
  client_run tessera signed "$signed_pid" signed "http://127.0.0.1:$signed_port" "$signed_session" "$signed_key" "$connections" "$client_seconds"
  # The same client against Tessera without signing separates signing's cost from the client's.
  client_run tessera unsigned-client "$tessera_pid" signed "http://127.0.0.1:$tessera_port" "$tessera_session" - "$connections" "$client_seconds"
  # JSON-RPC calls over 32 WebSockets, one call in flight per socket.
  client_run baseline websocket "$baseline_pid" ws "http://127.0.0.1:$baseline_port" - - "$connections" "$client_seconds"
  client_run tessera websocket "$tessera_pid" ws "http://127.0.0.1:$tessera_port" - - "$connections" "$client_seconds"
done

peak_rss() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
tessera_rss=$(peak_rss "$tessera_pid"); baseline_rss=$(peak_rss "$baseline_pid")

# Start-up: process start to the first answered call, for HelloService and the baseline, each published as usual
# (compiled at run time) and ReadyToRun (precompiled, as docs/deployment.md recommends), in alternating runs so a drift
# in the machine's load touches every variant alike. Rows of "variant<TAB>ms" in startup.tsv; HelloService's idle RSS.
# first_answer.py starts each server and polls it from one process: a curl per try took most of a core from the
# server being timed (bench/results/load.md, twenty-third session).
hello_from() { echo dotnet "$1/HelloService.dll" --port="$2" --database=memory; }
baseline_from() { echo dotnet "$1/Baseline.dll" --urls "http://127.0.0.1:$2"; }
hello_native() { echo "$1/HelloService" --port="$2" --database=memory; }
baseline_native() { echo "$1/Baseline" --urls "http://127.0.0.1:$2"; }
# A restart: the same build with a data directory, where a stopped service leaves its start-up profile (one per
# listening address, so always the same port) and the Data Protection keys, and the next start reads both. One start
# before the rounds writes them.
restart_port=$(free_port)
hello_restart() { echo dotnet "$1/HelloService.dll" --port="$2" --database=memory --data_dir="$work/restart"; }
variants=("tessera hello_from $work/hello" "baseline baseline_from $work/baseline"
          "tessera-r2r hello_from $work/hello-r2r" "baseline-r2r baseline_from $work/baseline-r2r"
          "tessera-restart hello_restart $work/hello")
if [[ $quick -eq 0 ]]; then
  variants+=("tessera-composite hello_native $work/hello-composite" "baseline-composite baseline_native $work/baseline-composite"
            "tessera-aot hello_native $work/hello-aot" "baseline-aot baseline_native $work/baseline-aot")
fi
first_answer() { # PORT [--rss-after SECONDS] -- COMMAND...: "ms" or "ms rss_kib"
  local port=$1; shift
  python3 bench/load/first_answer.py "$port" "/greeting/hello?name=x" "$@"
}
# shellcheck disable=SC2046 # the launchers' words are the command's arguments (paths under $work have no spaces)
first_answer "$restart_port" -- $(hello_restart "$work/hello" "$restart_port") > /dev/null
ls "$work/restart"/startup-*.jitprofile > /dev/null || { echo "the first start left no start-up profile in $work/restart" >&2; exit 1; }
for _ in $(seq 1 $(( quick ? 2 : 5 ))); do
  for variant in "${variants[@]}"; do
    read -r name launcher dir <<< "$variant"
    port=$(free_port); [[ $name == tessera-restart ]] && port=$restart_port
    rss=(); [[ $name == tessera ]] && rss=(--rss-after 1)
    # shellcheck disable=SC2046
    answer=$(first_answer "$port" "${rss[@]}" -- $("$launcher" "$dir" "$port")) \
      || { echo "start-up: $name ($dir) did not answer" >&2; exit 1; }
    read -r ms kib <<< "$answer"
    printf '%s\t%s\n' "$name" "$ms" >> "$work/startup.tsv"
    [[ $name == tessera ]] && idle_rss=$kib
  done
done

# Idle Server-Sent Events streams held open: a server's resident memory before and with them (KiB, in sse_before and
# sse_with).
# Against HelloService, then against the baseline's hand-written /events (what ASP.NET Core itself costs per stream).
idle_count=$(( quick ? 1000 : 10000 ))
idle_sse_rss() { # a function that execs the server on the port it is given
  local port; port=$(free_port)
  "$@" "$port" > /dev/null 2>&1 & local server=$!; pids+=($server)
  wait_ready "http://127.0.0.1:$port/greeting/hello?name=x"
  sleep 1; sse_before=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  coproc IDLE { dotnet "$work/client/LoadClient.dll" idle-sse "http://127.0.0.1:$port" "$idle_count"; }
  local opened; read -r opened <&"${IDLE[0]}"
  [[ "$opened" == open ]] || { echo "idle SSE client failed against $1 $2" >&2; exit 1; }
  sleep 2; sse_with=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  eval "exec ${IDLE[1]}>&-"; wait "$IDLE_PID" || true
  kill "$server"
}
hello_on() { exec dotnet "$work/hello/HelloService.dll" --port="$1" --database=memory; }
baseline_on() { exec dotnet "$work/baseline/Baseline.dll" --urls "http://127.0.0.1:$1"; }
idle_sse_rss hello_on; before_sse=$sse_before; with_sse=$sse_with
idle_sse_rss baseline_on; baseline_sse="$sse_before $sse_with"

# Fan-out: one announcement to 1,000 and to 10,000 SSE subscribers of a fresh HelloService, ten rounds a second apart;
# the load client (on the same two cores) times publish to each subscriber reading the event. Medians over the rounds.
fanout_rows=()
for subscribers in 1000 $(( quick ? 0 : 10000 )); do
  (( subscribers > 0 )) || continue
  port=$(free_port)
  dotnet "$work/hello/HelloService.dll" --port="$port" --database=memory > /dev/null 2>&1 & fan_pid=$!; pids+=($fan_pid)
  wait_ready "http://127.0.0.1:$port/greeting/hello?name=x"
  fan_session=$(curl -s "http://127.0.0.1:$port/account/create" -H 'Content-Type: application/json' \
    -d '{"user_id":"fan","password":"fan-password-1"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["result"]["session_id"])')
  measured=$(dotnet "$work/client/LoadClient.dll" fanout "http://127.0.0.1:$port" "$fan_session" "$subscribers" $(( quick ? 3 : 10 )))
  read -r p50 p99 max <<< "$measured"
  fanout_rows+=("$subscribers:$p50:$p99:$max")
  kill "$fan_pid"; wait "$fan_pid" 2> /dev/null || true
done
fanout=$(printf '%s\n' "${fanout_rows[@]}" | awk -F: '{printf "%s%s subscribers p50 %s ms / p99 %s ms / max %s ms", (NR > 1 ? "; " : ""), $1, $2, $3, $4}')

STARTUPS="$work/startup.tsv" BASELINE_SSE="$baseline_sse" python3 - "$results" "$out" "$tessera_rss" "$baseline_rss" "$idle_rss" "$fanout" "$duration" "$rounds" "$connections" "$idle_count" "$before_sse" "$with_sse" <<'PY'
import os, platform, statistics, subprocess, sys, datetime
path, out, tessera_rss, baseline_rss, idle_rss, fanout, duration, rounds, connections, idle_count, before_sse, with_sse = sys.argv[1:]
startups = {}
for line in open(os.environ["STARTUPS"]):
    variant, ms = line.split()
    startups.setdefault(variant, []).append(int(ms))
rows = [line.split("\t") for line in open(path) if line.strip()]
def values(server, scenario, column):
    return [float(r[column]) for r in rows if r[0] == server and r[1] == scenario]
def median(server, scenario, column):
    return statistics.median(values(server, scenario, column))
def ratios(scenario, column):
    # Round by round: each round's two runs are minutes apart at most, so a drift in the machine cancels in their ratio.
    return [t / b for t, b in zip(values("tessera", scenario, column), values("baseline", scenario, column))]
def paired(scenario, column):
    r = ratios(scenario, column)
    spread = f" ({min(r):.2f}-{max(r):.2f})" if len(r) > 1 else ""
    return f"{statistics.median(r):.2f}x{spread}"
names = {"envelope": "greeting.hello, Toto envelope (POST /)", "get": "greeting.hello, URL-style GET",
         "jsonrpc": "greeting.hello, JSON-RPC (POST /api)", "batch": "Toto batch of 10 greeting.hello",
         "auth": "authenticated counter.increment (session lookup + state write)",
         "jsonrpc_batch": "JSON-RPC batch of 10 greeting.hello", "xmlrpc": "greeting.hello, XML-RPC (POST /RPC2)",
         "msgpack": "greeting.hello, Toto envelope in MessagePack", "websocket": "greeting.hello, JSON-RPC over 32 WebSockets (load client)",
         "signed": "the same in signed mode (load client; both verify HMAC-SHA256, nonce, window)"}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
lines = [
    f"# Load report ({datetime.date.today().isoformat()})", "",
    f"Machine: {os.cpu_count()} cores ({cpu}), {memory} GiB; .NET {subprocess.run(['dotnet', '--version'], capture_output=True, text=True).stdout.strip()}; "
    f"wrk {connections} connections, 2 threads, {duration} per run, {rounds} round(s), baseline and Tessera alternating; medians. "
    "A ratio is the median of the rounds' own ratios (Tessera's run against the baseline's run beside it), with the "
    "lowest and highest round in brackets: a target inside that range is a tie, not a result. "
    "Server CPU is the server process's user and system time over the run divided by the requests answered (every "
    "thread: Kestrel, the application, the GC), read from /proc; its ratio is Tessera's cost over the baseline's, so "
    "lower is better; it separates the server's own cost from wrk's share of the two cores, and is as noisy as req/s. "
    f"Command: `bench/load/run.sh{' --quick' if rounds == '1' else ''}`.", "",
    "| scenario | baseline req/s | Tessera req/s | ratio | baseline p50 / p99 ms | Tessera p50 / p99 ms | p99 ratio | server CPU us/req, baseline / Tessera | CPU ratio |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for key in ["envelope", "get", "jsonrpc", "xmlrpc", "msgpack", "batch", "jsonrpc_batch", "websocket", "auth", "signed"]:
    b, t = median("baseline", key, 2), median("tessera", key, 2)
    bp50, bp99, tp50, tp99 = median("baseline", key, 3), median("baseline", key, 4), median("tessera", key, 3), median("tessera", key, 4)
    bcpu, tcpu = median("baseline", key, 5), median("tessera", key, 5)
    lines.append(f"| {names[key]} | {b:,.0f} | {t:,.0f} | {paired(key, 2)} | {bp50:.2f} / {bp99:.2f} | {tp50:.2f} / {tp99:.2f} | {paired(key, 4)} "
                 f"| {bcpu:.1f} / {tcpu:.1f} | {paired(key, 5)} |")
single, batched = median("tessera", "envelope", 2), median("tessera", "batch", 2) * 10
parse_rps, parse_cpu = median("baseline", "auth_parse", 2), median("baseline", "auth_parse", 5)
against_parse = [t / b for t, b in zip(values("tessera", "auth", 2), values("baseline", "auth_parse", 2))]
rpc_single, rpc_batched = median("tessera", "jsonrpc", 2), median("tessera", "jsonrpc_batch", 2) * 10
signed, unsigned = median("tessera", "signed", 2), median("tessera", "unsigned-client", 2)
lines += ["",
    f"- Batch of 10 against 10 single calls (Tessera): Toto {batched:,.0f} calls/s against {single:,.0f}: {batched / single:.1f}x; "
    f"JSON-RPC {rpc_batched:,.0f} against {rpc_single:,.0f}: {rpc_batched / rpc_single:.1f}x.",
    "- The authenticated row's baseline does not read the body it is sent (`{}`); Tessera reads and parses every body. "
    f"A diagnostic run of the same handler reading and parsing it, as the baseline's other handlers do, beside each round: "
    f"{parse_rps:,.0f} req/s at {parse_cpu:.1f} us/req of server CPU ({parse_cpu - median('baseline', 'auth', 5):+.1f} us against the row's baseline); "
    f"Tessera answered {statistics.median(against_parse):.2f}x ({min(against_parse):.2f}-{max(against_parse):.2f}) of it. "
    "The target is read against the row above.",
    f"- Peak RSS under load: Tessera {int(tessera_rss) / 1024:.0f} MiB, baseline {int(baseline_rss) / 1024:.0f} MiB.",
    f"- Start-up, process start to first answered call (median of {len(startups['tessera'])} alternating runs): HelloService "
    f"{statistics.median(startups['tessera']):.0f} ms (runs: {', '.join(map(str, startups['tessera']))} ms), baseline {statistics.median(startups['baseline']):.0f} ms; "
    f"published ReadyToRun: HelloService {statistics.median(startups['tessera-r2r']):.0f} ms (runs: {', '.join(map(str, startups['tessera-r2r']))} ms), "
    f"baseline {statistics.median(startups['baseline-r2r']):.0f} ms; "
    f"HelloService restarted with --data_dir, where the last start left its start-up profile and keys: "
    f"{statistics.median(startups['tessera-restart']):.0f} ms (runs: {', '.join(map(str, startups['tessera-restart']))} ms)"
    + (f"; self-contained with one composite ReadyToRun image of service and framework: HelloService {statistics.median(startups['tessera-composite']):.0f} ms "
       f"(runs: {', '.join(map(str, startups['tessera-composite']))} ms), baseline {statistics.median(startups['baseline-composite']):.0f} ms"
       if 'tessera-composite' in startups else "")
    + (f"; Native AOT: HelloService {statistics.median(startups['tessera-aot']):.0f} ms "
       f"(runs: {', '.join(map(str, startups['tessera-aot']))} ms), baseline {statistics.median(startups['baseline-aot']):.0f} ms"
       if 'tessera-aot' in startups else "")
    + f". HelloService idle RSS {int(idle_rss) / 1024:.0f} MiB.",
    f"- Event fan-out, publish (announcement.post) to each Server-Sent Events subscriber reading it, median of the rounds: {fanout}.",
    f"- {int(idle_count):,} idle Server-Sent Events streams: HelloService RSS {int(before_sse) / 1024:.0f} MiB before, "
    f"{int(with_sse) / 1024:.0f} MiB with them open ({(int(with_sse) - int(before_sse)) / int(idle_count):.1f} KiB per stream); "
    f"the baseline's hand-written /events, the same way: {int(os.environ['BASELINE_SSE'].split()[0]) / 1024:.0f} MiB before, "
    f"{int(os.environ['BASELINE_SSE'].split()[1]) / 1024:.0f} MiB with them ({(int(os.environ['BASELINE_SSE'].split()[1]) - int(os.environ['BASELINE_SSE'].split()[0])) / int(idle_count):.1f} KiB per stream).",
    "- The signed-mode row is driven by bench/LoadClient (wrk cannot sign each request); that client also signs, on the same two cores. "
    f"With that same client, Tessera answers {unsigned:,.0f} req/s unsigned and {signed:,.0f} signed: signing itself costs {1 - signed / unsigned:.0%}.",
]
report = "\n".join(lines) + "\n"
open(out, "w").write(report)
print(report)
PY
echo "report: $out" >&2
