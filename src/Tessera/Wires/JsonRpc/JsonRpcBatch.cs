using System.Text.Json;
using Tessera.Auth;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Errors;

namespace Tessera.Wires.JsonRpc;

/// <summary>
/// Answers a parsed JSON-RPC 2.0 message, single or batch, the same way over HTTP and WebSocket: a batch is one array
/// of answers in request order (notifications left out), <c>[]</c> and a batch over <c>max_batch_size</c> are one
/// Invalid Request error, and nothing is written when nothing is to be sent. Pass the request's services for a single
/// call over HTTP, or null where every call needs a scope of its own (a socket, whose upgrade scope lives as long as it
/// does).
/// </summary>
internal static class JsonRpcBatch
{
    /// <summary>A wire's own methods (WebSocket's <c>events.*</c>): the answer, or null to run the request as a call.</summary>
    public delegate ValueTask<byte[]?> SpecialCall(JsonRpcRequest request);

    /// <summary>Runs the message and writes its answer into <paramref name="output"/>; false when there is none.</summary>
    public static async ValueTask<bool> AnswerAsync(
        JsonElement root,
        CallRunner runner,
        JsonRpcWriter writer,
        Caller caller,
        IServiceProvider? requestServices,
        PooledBufferWriter output,
        CancellationToken cancellationToken,
        SpecialCall? special = null)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            var outcome = await RunAsync(root, runner, caller, requestServices, special, cancellationToken);
            return writer.Write(output, [outcome], asArray: false);
        }

        var count = root.GetArrayLength();
        var refusal = count == 0 ? ErrorTable.Malformed("The batch is empty.") : runner.CheckBatchSize(count);
        if (refusal is not null)
        {
            return writer.Write(output, [JsonRpcOutcome.Refused(refusal, default)], asArray: false);
        }

        var requests = new JsonElement[count];
        var index = 0;
        foreach (var request in root.EnumerateArray())
        {
            requests[index++] = request;
        }

        var outcomes = await runner.RunBatchAsync(requests, BatchOrder.Concurrent,
            (request, token) => RunAsync(request, runner, caller, requestServices: null, special, token),
            cancellationToken);
        return writer.Write(output, outcomes, asArray: true);
    }

    private static ValueTask<JsonRpcOutcome> RunAsync(
        JsonElement element,
        CallRunner runner,
        Caller caller,
        IServiceProvider? requestServices,
        SpecialCall? special,
        CancellationToken cancellationToken)
    {
        var request = JsonRpcRequest.Read(element);
        if (request.Invalid is { } invalid)
        {
            return new(JsonRpcOutcome.Refused(invalid, request.Id));
        }

        return special is null
            ? RunCallAsync(request, runner, caller, requestServices, cancellationToken)
            : RunSpecialAsync(request, runner, caller, requestServices, special, cancellationToken);
    }

    private static async ValueTask<JsonRpcOutcome> RunSpecialAsync(
        JsonRpcRequest request,
        CallRunner runner,
        Caller caller,
        IServiceProvider? requestServices,
        SpecialCall special,
        CancellationToken cancellationToken)
    {
        if (await special(request) is { } specialAnswer)
        {
            return request.IsNotification ? JsonRpcOutcome.Silent : new JsonRpcOutcome(request.Id, default, Written: specialAnswer);
        }

        return await RunCallAsync(request, runner, caller, requestServices, cancellationToken);
    }

    /// <summary>The request as a call; one that finishes at once is answered without an async method's machinery.</summary>
    private static ValueTask<JsonRpcOutcome> RunCallAsync(
        JsonRpcRequest request, CallRunner runner, Caller caller, IServiceProvider? requestServices, CancellationToken cancellationToken)
    {
        var parameters = new CallParameters(request.Params);
        // A single HTTP request's call uses the request's scope; batch entries and socket messages get their own.
        var answering = requestServices is null
            ? runner.RunScopedAsync(request.Method, parameters, caller, cancellationToken)
            : runner.RunAsync(request.Method, parameters, caller, requestServices, cancellationToken);
        return answering.IsCompletedSuccessfully ? new(Outcome(request, answering.Result)) : OutcomeAsync(request, answering);

        static async ValueTask<JsonRpcOutcome> OutcomeAsync(JsonRpcRequest request, ValueTask<CallAnswer> answering) =>
            Outcome(request, await answering);
    }

    private static JsonRpcOutcome Outcome(JsonRpcRequest request, CallAnswer answer) =>
        request.IsNotification ? JsonRpcOutcome.Silent : new JsonRpcOutcome(request.Id, answer);
}
