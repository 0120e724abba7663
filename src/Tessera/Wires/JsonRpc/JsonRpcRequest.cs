using System.Text.Json;
using Tessera.Errors;

namespace Tessera.Wires.JsonRpc;

/// <summary>One JSON-RPC 2.0 request object, checked against the specification.</summary>
internal readonly record struct JsonRpcRequest(
    string? Method,
    JsonElement Params,
    JsonElement Id,
    bool IsNotification,
    MethodError? Invalid)
{
    /// <summary>
    /// Reads a request object. An invalid one is answered even without an id (with id null), as the specification's
    /// examples require; an id of the wrong type is not echoed.
    /// </summary>
    public static JsonRpcRequest Read(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return Reject(default, "A request must be a JSON object.");
        }

        // One pass over the members (four look-ups each scanned them); the parser refused duplicate names already.
        JsonElement id = default, version = default, method = default, given = default;
        foreach (var member in request.EnumerateObject())
        {
            if (member.NameEquals("id"u8))
            {
                id = member.Value;
            }
            else if (member.NameEquals("jsonrpc"u8))
            {
                version = member.Value;
            }
            else if (member.NameEquals("method"u8))
            {
                method = member.Value;
            }
            else if (member.NameEquals("params"u8))
            {
                given = member.Value;
            }
        }

        var hasId = id.ValueKind != JsonValueKind.Undefined;
        var idIsValid = !hasId || id.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null;
        var echoId = hasId && idIsValid ? id : default;
        if (!idIsValid)
        {
            return Reject(default, "'id' must be a string, a number or null.");
        }

        if (version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return Reject(echoId, "'jsonrpc' must be exactly \"2.0\".");
        }

        if (method.ValueKind != JsonValueKind.String)
        {
            return Reject(echoId, "'method' must be a string.");
        }

        var parameters = default(JsonElement);
        if (given.ValueKind != JsonValueKind.Undefined)
        {
            if (given.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            {
                return Reject(echoId, "'params' must be an array or an object.");
            }

            parameters = given;
        }

        return new JsonRpcRequest(method.GetString(), parameters, echoId, IsNotification: !hasId, Invalid: null);
    }

    private static JsonRpcRequest Reject(JsonElement id, string reason) =>
        new(null, default, id, IsNotification: false, ErrorTable.Malformed(reason));
}
