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

print(json.dumps(report))
