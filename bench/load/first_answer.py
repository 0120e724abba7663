#!/usr/bin/env python3
"""Start-up to the first answer: starts a server and prints the milliseconds from its start to its first 2xx answer.

usage: first_answer.py PORT PATH [--rss-after SECONDS] -- COMMAND [ARGUMENT...]

The server is polled from this one process, with a socket every millisecond. The shell loop this replaces ran a new
curl for every try: about 23 ms of CPU each on the load report's two-core machine, so the timing took most of a core
from the server it timed and added up to a poll period to each figure (bench/results/load.md, twenty-third session).
With --rss-after it also waits that many seconds after the answer and prints the server's resident memory in KiB.
The server is stopped (SIGTERM) before this exits; exit code 1 when it ends or stays silent before answering.
"""

import signal
import socket
import subprocess
import sys
import time

TIMEOUT_SECONDS = 60


def main(argv):
    if "--" not in argv or argv.index("--") < 2:
        sys.exit(__doc__)
    options, command = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    port, path = int(options[0]), options[1]
    rss_after = float(options[options.index("--rss-after") + 1]) if "--rss-after" in options else None
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()

    # A harness stopped half-way stops this with SIGTERM: leave through the finally below, which stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    started = time.monotonic()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not answered(port, request):
            if server.poll() is not None:
                sys.exit(f"{command[0]} exited with {server.returncode} before answering GET {path}")
            if time.monotonic() - started > TIMEOUT_SECONDS:
                sys.exit(f"{command[0]} did not answer GET {path} within {TIMEOUT_SECONDS} s")
            time.sleep(0.001)
        elapsed_ms = round((time.monotonic() - started) * 1000)
        if rss_after is None:
            print(elapsed_ms)
        else:
            time.sleep(rss_after)
            print(elapsed_ms, resident_kib(server.pid))
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait()


def answered(port, request):
    """True once the server answers the request with a 2xx status; false while it refuses or drops connections."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(request)
            status_line = connection.recv(64)
    except OSError:
        return False
    return status_line.startswith((b"HTTP/1.1 2", b"HTTP/1.0 2"))


def resident_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


if __name__ == "__main__":
    main(sys.argv[1:])
