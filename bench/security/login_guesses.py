#!/usr/bin/env python3
"""Password guessing against a running Tessera service (see run.sh): what one client gets per second, and how long a
legitimate login from another address waits while one address floods the hashing gate.

usage: login_guesses.py PORT SECONDS
"""
import http.client
import json
import statistics
import sys
import threading
import time

PORT = int(sys.argv[1])
SECONDS = float(sys.argv[2])
PASSWORD = "correct-horse-battery-1"


def call(method, parameters, source="127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120, source_address=(source, 0))
    body = json.dumps({"method": method, "parameters": parameters})
    connection.request("POST", "/", body, {"Content-Type": "application/json"})
    answer = json.loads(connection.getresponse().read() or b"{}")
    connection.close()
    return answer.get("error", {}).get("code")


def guessing():
    """One client, one account, wrong passwords as fast as answers come, then the right one."""
    call("account.create", {"user_id": "victim", "password": PASSWORD})
    tested = refused = 0
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        code = call("account.login", {"user_id": "victim", "password": "guess-%d" % tested})
        if code == 1005:
            tested += 1
        elif code == 1014:
            refused += 1
    right = call("account.login", {"user_id": "victim", "password": PASSWORD})
    print(f"guessing: {tested} passwords tested in {SECONDS:.0f} s ({tested / SECONDS:.2f}/s), {refused} attempts refused "
          f"with 1014; the right password then answered {right or 'success'}")


def fairness():
    """16 attacker connections from 127.0.0.1 against random accounts; a real user logs in from 127.0.0.2."""
    call("account.create", {"user_id": "legit", "password": PASSWORD}, source="127.0.0.2")
    idle = []
    for _ in range(5):
        start = time.monotonic()
        call("account.login", {"user_id": "legit", "password": PASSWORD}, source="127.0.0.2")
        idle.append(time.monotonic() - start)
    stop = threading.Event()

    def attacker(n):
        i = 0
        while not stop.is_set():
            call("account.login", {"user_id": f"target{n}-{i}", "password": "wrong-password"})
            i += 1

    threads = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(16)]
    for t in threads:
        t.start()
    time.sleep(2)
    waits = []
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        start = time.monotonic()
        code = call("account.login", {"user_id": "legit", "password": PASSWORD}, source="127.0.0.2")
        waits.append(time.monotonic() - start)
        assert code is None, code
    stop.set()
    print(f"fairness: a login alone took {statistics.median(idle) * 1000:.0f} ms (median of 5); under a 16-connection flood "
          f"from another address, {len(waits)} logins took median {statistics.median(waits) * 1000:.0f} ms, "
          f"max {max(waits) * 1000:.0f} ms")


guessing()
fairness()
