using System.Text.Json;
using Tessera.Auth;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Errors;

namespace Tessera.Wires.JsonRpc;

/// <summary>
/// Answers a parsed JSON-RPC 2.0 message, single or batch, the same way over HTTP and WebSocket: a batch is one array
/// of answers in request order (notifications left out), <c>[]</c> and a batch over <c>max_batch_size</c> are one
/// Invalid Request error, and null means nothing is to be sent. Pass the request's services for a single call over
/// HTTP, or null where every call needs a scope of its own (a socket, whose upgrade scope lives as long as it does).
/// </summary>
internal static class JsonRpcBatch
{
    /// <summary>A wire's own methods (WebSocket's <c>events.*</c>): the answer, or null to run the request as a call.</summary>
    public delegate ValueTask<byte[]?> SpecialCall(JsonRpcRequest request);

    public static async Task<byte[]?> AnswerAsync(
        JsonElement root,
        CallRunner runner,
        JsonRpcWriter writer,
        Caller caller,
        IServiceProvider? requestServices,
        CancellationToken cancellationToken,
        SpecialCall? special = null)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return await RunAsync(root, runner, writer, caller, requestServices, special, cancellationToken);
        }

        var count = root.GetArrayLength();
        var refusal = count == 0 ? ErrorTable.Malformed("The batch is empty.") : runner.CheckBatchSize(count);
        if (refusal is not null)
        {
            return writer.SerializeError(refusal, default, ErrorTable.InvalidRequestCode, "Invalid Request");
        }

        var requests = root.EnumerateArray().ToArray();
        var answers = await runner.RunBatchAsync(requests, BatchOrder.Concurrent,
            (request, token) => new ValueTask<byte[]?>(RunAsync(request, runner, writer, caller, requestServices: null, special, token)),
            cancellationToken);
        return JoinArray(answers);
    }

    private static async Task<byte[]?> RunAsync(
        JsonElement element,
        CallRunner runner,
        JsonRpcWriter writer,
        Caller caller,
        IServiceProvider? requestServices,
        SpecialCall? special,
        CancellationToken cancellationToken)
    {
        var request = JsonRpcRequest.Read(element);
        if (request.Invalid is { } invalid)
        {
            return writer.SerializeError(invalid, request.Id, ErrorTable.InvalidRequestCode, "Invalid Request");
        }

        if (special is not null && await special(request) is { } specialAnswer)
        {
            return request.IsNotification ? null : specialAnswer;
        }

        var parameters = new CallParameters(request.Params);
        // A single HTTP request's call uses the request's scope; batch entries and socket messages get their own.
        var answer = requestServices is null
            ? await runner.RunScopedAsync(request.Method, parameters, caller, cancellationToken)
            : await runner.RunAsync(request.Method, parameters, caller, requestServices, cancellationToken);
        return request.IsNotification ? null : writer.Serialize(answer, request.Id);
    }

    /// <summary>"[" + the answers joined by "," + "]", or null when every entry was a notification.</summary>
    private static byte[]? JoinArray(byte[]?[] answers)
    {
        var present = answers.OfType<byte[]>().ToList();
        if (present.Count == 0)
        {
            return null;
        }

        var body = new byte[present.Sum(a => a.Length) + present.Count + 1];
        body[0] = (byte)'[';
        var position = 1;
        for (var i = 0; i < present.Count; i++)
        {
            if (i > 0)
            {
                body[position++] = (byte)',';
            }

            present[i].CopyTo(body, position);
            position += present[i].Length;
        }

        body[position] = (byte)']';
        return body;
    }
}
