# Sourced by the bench harnesses that start servers: a work folder removed at exit, the pids of what they started
# (killed at exit, whatever happens), a free local port, and waiting for a server to answer.
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ready() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "server at $1 did not start" >&2; exit 1; }
