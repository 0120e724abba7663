#!/usr/bin/env bash
# The fault suite: kill -9 of HelloService amid four concurrent writers on SQLite, PostgreSQL, Redis sessions and MySQL
# (acknowledged writes lost must be 0), time to serve again after a PostgreSQL and a Redis restart (goals 10 s and 5 s),
# and 10^4 exact replays of a captured signed request (goal 0 accepted). The test suite runs the same with 5 trials.
#
#   bench/faults/run.sh [TRIALS]     100 trials per backend by default; report in bench/results/faults.md
set -euo pipefail
cd "$(dirname "$0")/../.."

trials="${1:-100}"
out="bench/results/faults.md"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

TESSERA_FAULT_TRIALS="$trials" dotnet test test/Tessera.Tests -c Release --filter "FullyQualifiedName~Tessera.Tests.Faults" \
  --logger "console;verbosity=detailed" 2>&1 | tee "$log" | grep -E "faults:|Passed!|Failed!" || true
status=${PIPESTATUS[0]}

{
  echo "# Fault report ($(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB; .NET $(dotnet --version)."
  echo "Command: \`bench/faults/run.sh $trials\` (test/Tessera.Tests/Faults/KillNineTrialTests.cs with TESSERA_FAULT_TRIALS=$trials)."
  echo
  echo "| fault | backend | what was done | measured | result |"
  echo "|---|---|---|---|---|"
  grep -o 'faults: .*' "$log" | sed -E 's/^faults: //' | awk -F' [|] ' '
    $1 == "kill -9" { printf "| kill -9 amid %s | %s | %s | %s | %s |\n", $4, $2, $3, $5, $6 }
    $1 == "restart" { printf "| store restart | %s | stop, start again | %s | %s |\n", $2, $3, $4 }
    $1 == "replay"  { printf "| replayed signed request | %s | %s | %s | goal 0 |\n", $2, $3, $4 }'
  echo
  echo "A kill -9 trial: HelloService serves four users, each incrementing a counter in its session as fast as it is answered;"
  echo "after 150-600 ms the process gets SIGKILL, is started again on the same store, and each user's next increment shows"
  echo "what was stored. An increment is lost when it was acknowledged (the answer reached the writer) and is not stored."
} > "$out"
cat "$out"
exit "$status"
