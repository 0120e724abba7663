"""Drives a Tessera service with Python's standard xmlrpc.client: calls, a fault, introspection and a multicall.

Usage: python3 xmlrpc_client.py http://127.0.0.1:PORT/RPC2  - prints one JSON object with what came back.
"""
import json
import sys
import xmlrpc.client

proxy = xmlrpc.client.ServerProxy(sys.argv[1], allow_none=True)
report = {}

report["add"] = proxy.math.add(2, 3)
report["hello"] = proxy.greeting.hello("xmlrpc é")
try:
    proxy.math.divide(1, 0)
    report["divide"] = "no fault"
except xmlrpc.client.Fault as fault:
    report["divide"] = {"code": fault.faultCode, "string": fault.faultString}
try:
    proxy.no.such.method()
    report["unknown"] = "no fault"
except xmlrpc.client.Fault as fault:
    report["unknown"] = {"code": fault.faultCode, "string": fault.faultString}

report["methods"] = proxy.system.listMethods()
report["signature"] = proxy.system.methodSignature("math.add")

multicall = xmlrpc.client.MultiCall(proxy)
multicall.math.add(40, 2)
multicall.greeting.hello("multi")
multicall.math.divide(1, 0)
answers = multicall()
collected = []
for position in range(3):
    try:
        collected.append(answers[position])
    except xmlrpc.client.Fault as fault:
        collected.append({"fault": fault.faultCode, "string": fault.faultString})
report["multicall"] = collected

# Bodies over the service's limit (1 MiB by default), sent whole before the answer is read, as xmlrpc.client does:
# each must come back as the HTTP refusal, not as a connection broken under the upload.
oversized = []
for megabytes in (2, 20):
    try:
        xmlrpc.client.ServerProxy(sys.argv[1]).greeting.hello("x" * (megabytes * 1024 * 1024))
        oversized.append("answered")
    except xmlrpc.client.ProtocolError as error:
        oversized.append(error.errcode)
    except OSError as error:
        oversized.append(type(error).__name__)
report["oversized"] = oversized
report["after"] = xmlrpc.client.ServerProxy(sys.argv[1]).math.add(1, 1)

print(json.dumps(report))
