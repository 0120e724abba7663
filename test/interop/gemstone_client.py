"""A client that behaves exactly like gemstone 0.12's RemoteService (which cannot be installed here: PyPI is not
reachable): Python's urllib, User-Agent: gemstone-client, Content-Type: application/json, and every answer object read
as response["error"] and response["result"] without checking either is present, so a spec-exact answer (one member
only) raises KeyError in it.

Usage: python3 gemstone_client.py http://127.0.0.1:PORT/api - prints one JSON object with what came back.
"""
import json
import sys
import urllib.request

url = sys.argv[1]


def post(body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("User-Agent", "gemstone-client")
    with urllib.request.urlopen(request) as response:
        return response.status, response.read().decode()


def call(method, params, request_id):
    _, text = post({"jsonrpc": "2.0", "method": method, "params": params, "id": request_id})
    response = json.loads(text)
    if response["error"]:
        return {"error": response["error"]["code"]}
    return response["result"]


report = {}
specs = json.loads(post({"jsonrpc": "2.0", "method": "get_service_specs", "id": 1})[1])
report["specs_has_math_add"] = "math.add" in specs["result"]["methods"] and specs["error"] is None
report["positional"] = call("math.add", [40, 2], 2)
report["named"] = call("math.add", {"a": 1, "b": 2}, 3)
report["error"] = call("math.divide", [1, 0], 4)
status, text = post({"jsonrpc": "2.0", "method": "greeting.hello", "params": ["nobody"]})
report["notification"] = {"status": status, "body": text}
_, text = post([
    {"jsonrpc": "2.0", "method": "math.add", "params": [1, 2], "id": 5},
    {"jsonrpc": "2.0", "method": "greeting.hello", "params": ["nobody"]},
    {"jsonrpc": "2.0", "method": "math.divide", "params": [1, 0], "id": 6},
])
report["batch"] = [{"id": item["id"], "result": item["result"], "error": item["error"] and item["error"]["code"]}
                   for item in json.loads(text)]
print(json.dumps(report))
