"""Drives a Tessera service with jsonrpclib-pelix, unmodified and with its defaults (Content-Type: application/json-rpc),
the JSON-RPC client Atila's documentation tells its users to install (Debian: python3-jsonrpclib-pelix).

Usage: python3 jsonrpclib_client.py http://127.0.0.1:PORT/api USER PASSWORD - prints one JSON object with what came back.
"""
import json
import sys

import jsonrpclib
from jsonrpclib.jsonrpc import AppError, ProtocolError

url, user, password = sys.argv[1:4]
server = jsonrpclib.ServerProxy(url)
report = {}

report["positional"] = server.math.add(40, 2)
report["named"] = server.math.add(a=1, b=2)
try:
    server.math.divide(1, 0)
    report["error"] = "no error"
except AppError as error:
    code, message, _ = error.args[0]
    report["error"] = {"code": code, "message": message}
try:
    server.no.such.method()
    report["unknown"] = "no error"
except ProtocolError as error:
    report["unknown"] = {"code": error.args[0][0]}

session = server.account.create(user_id=user, password=password)["session_id"]
with server._additional_headers({"x-toto-session-id": session}) as signed_in:
    # A notification: no answer is read, and none may raise.
    report["notify"] = signed_in._notify.counter.increment()
    report["count_after_notify"] = signed_in.counter.increment()["count"]

batch = jsonrpclib.MultiCall(server)
batch.math.add(1, 2)
batch.greeting.hello("batch")
batch._notify.greeting.hello("nobody reads this")
batch.math.divide(1, 0)
batch_results = batch()
results = []
for index in range(len(batch_results)):
    try:
        results.append(batch_results[index])
    except AppError as error:
        results.append({"code": error.args[0][0]})
report["multicall"] = results

print(json.dumps(report))
