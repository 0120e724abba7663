#!/usr/bin/env bash
# The parser fuzzer (bench/fuzz): N generated and mutated inputs per parser, in process, in Release.
#
#   bench/fuzz/run.sh                      10^6 inputs per parser, report in bench/results/fuzz.md
#   bench/fuzz/run.sh --inputs 10000       what .ci/run does (report in a temporary file unless --report is given,
#                                          as with --only PARSER)
set -euo pipefail
cd "$(dirname "$0")/../.."

inputs=1000000
report="bench/results/fuzz.md"
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --inputs) inputs="$2"; shift 2 ;;
    --report) report="$2"; shift 2 ;;
    --only|--seed) extra+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--inputs N] [--report FILE] [--only PARSER] [--seed S]" >&2; exit 2 ;;
  esac
done
# Only a whole run (every parser, 10^6 inputs) writes the report by default: one parser's table must not replace it.
if [[ ($inputs -ne 1000000 || " ${extra[*]-} " == *" --only "*) && $report == "bench/results/fuzz.md" ]]; then
  report="$(mktemp --suffix=.md)"
fi

dotnet build bench/fuzz -c Release -v quiet -nologo > /dev/null
dotnet bench/fuzz/bin/Release/net10.0/Tessera.Fuzz.dll --inputs "$inputs" --report "$report" "${extra[@]}"
echo "report: $report"
