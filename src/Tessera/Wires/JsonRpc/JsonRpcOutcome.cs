using System.Text.Json;
using Tessera.Dispatch;
using Tessera.Errors;

namespace Tessera.Wires.JsonRpc;

/// <summary>
/// How one request of a message ended, before anything is written: a notification (nothing to answer), a request the
/// specification refuses (Invalid Request), an answer a wire's own method already wrote, or the call's answer.
/// </summary>
internal readonly record struct JsonRpcOutcome(JsonElement Id, CallAnswer Answer, MethodError? Invalid = null, byte[]? Written = null)
{
    public bool IsSilent { get; private init; }

    public static JsonRpcOutcome Silent => new() { IsSilent = true };

    public static JsonRpcOutcome Refused(MethodError invalid, JsonElement id) => new(id, default, invalid);
}
