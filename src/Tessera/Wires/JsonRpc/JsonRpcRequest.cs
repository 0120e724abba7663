using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
            switch (MemberOf(member))
            {
                case RequestMember.Id:
                    id = member.Value;
                    break;
                case RequestMember.Version:
                    version = member.Value;
                    break;
                case RequestMember.Method:
                    method = member.Value;
                    break;
                case RequestMember.Params:
                    given = member.Value;
                    break;
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

    private enum RequestMember
    {
        Other,
        Id,
        Version,
        Method,
        Params,
    }

    /// <summary>
    /// Which request member a property is, compared on the bytes as sent: <see cref="JsonProperty.NameEquals(ReadOnlySpan{byte})"/>
    /// for each of the four names took 0.68-0.82 us a batch of ten, 0.40-0.49 by bytes (BenchmarkDotNet, this project's
    /// 2-core machine). A name written with escapes (<c>"\u006dethod"</c> is <c>method</c>) is compared unescaped.
    /// </summary>
    private static RequestMember MemberOf(JsonProperty member)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(member);
        return name.SequenceEqual("id"u8) ? RequestMember.Id
            : name.SequenceEqual("jsonrpc"u8) ? RequestMember.Version
            : name.SequenceEqual("method"u8) ? RequestMember.Method
            : name.SequenceEqual("params"u8) ? RequestMember.Params
            : name.Contains((byte)'\\') ? EscapedMemberOf(member)
            : RequestMember.Other;
    }

    // Apart, so the common path stays small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RequestMember EscapedMemberOf(JsonProperty member) =>
        member.NameEquals("id"u8) ? RequestMember.Id
        : member.NameEquals("jsonrpc"u8) ? RequestMember.Version
        : member.NameEquals("method"u8) ? RequestMember.Method
        : member.NameEquals("params"u8) ? RequestMember.Params
        : RequestMember.Other;

    private static JsonRpcRequest Reject(JsonElement id, string reason) =>
        new(null, default, id, IsNotification: false, ErrorTable.Malformed(reason));
}
