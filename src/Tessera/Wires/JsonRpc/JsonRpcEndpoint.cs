using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Errors;
using Tessera.Observability;
using Tessera.Wires.Http;

namespace Tessera.Wires.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP (gemstone's <c>/api</c>): single requests, notifications (never answered; 204 when nothing
/// is left to answer) and batches (answered in request order, run with bounded concurrency, each entry its own call).
/// </summary>
internal sealed class JsonRpcEndpoint(
    MethodDispatcher dispatcher,
    JsonRpcWriter writer,
    TesseraJson json,
    IOptions<TesseraOptions> options,
    IServiceScopeFactory scopes,
    ResponseSender sender,
    ILogger<JsonRpcEndpoint> logger)
{
    private const string ContentType = "application/json";

    private readonly TesseraOptions _options = options.Value;

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            if (!HttpMethods.IsPost(http.Request.Method))
            {
                http.Response.Headers.Allow = "POST";
                await RejectAsync(http, StatusCodes.Status405MethodNotAllowed, ErrorTable.InvalidRequestCode,
                    $"HTTP method {http.Request.Method} is not supported; JSON-RPC requests are POSTed.");
                return;
            }

            if (BodyKinds.Of(http.Request.ContentType) != BodyKind.Json)
            {
                await RejectAsync(http, StatusCodes.Status415UnsupportedMediaType, ErrorTable.InvalidRequestCode,
                    $"Content-Type '{http.Request.ContentType}' is not supported; send application/json.");
                return;
            }

            using var body = await RequestBody.ReadCallAsync(http, _options.MaxRequestBodySize, sender);
            if (body.TooLarge)
            {
                await RejectAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorTable.InvalidRequestCode,
                    $"The request body is larger than the limit of {_options.MaxRequestBodySize} bytes.");
                return;
            }

            await AnswerAsync(http, body.Memory);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (BadHttpRequestException exception)
        {
            await RejectAsync(http, exception.StatusCode, ErrorTable.InvalidRequestCode, exception.Message);
        }
    }

    private async Task AnswerAsync(HttpContext http, ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            if (!Utf8.IsValid(body.Span))
            {
                throw new JsonException("The body is not valid UTF-8.");
            }

            document = JsonDocument.Parse(body, json.DocumentOptions);
        }
        catch (JsonException exception)
        {
            await RejectAsync(http, StatusCodes.Status200OK, ErrorTable.ParseErrorCode, "Parse error", exception.Message);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                var answer = await RunAsync(http, root, http.RequestServices);
                await SendAsync(http, answer);
                return;
            }

            var count = root.GetArrayLength();
            if (count == 0)
            {
                await RejectAsync(http, StatusCodes.Status200OK, ErrorTable.InvalidRequestCode, "Invalid Request", "The batch is empty.");
                return;
            }

            if (count > _options.MaxBatchSize)
            {
                await RejectAsync(http, StatusCodes.Status200OK, ErrorTable.InvalidRequestCode, "Invalid Request",
                    $"The batch has {count} requests; the limit is {_options.MaxBatchSize}.");
                return;
            }

            await SendBatchAsync(http, await RunBatchAsync(http, root, count));
        }
    }

    private async Task<byte[]?[]> RunBatchAsync(HttpContext http, JsonElement batch, int count)
    {
        var requests = batch.EnumerateArray().ToArray();
        var answers = new byte[]?[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.BatchConcurrency, CancellationToken = http.RequestAborted };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, _) =>
        {
            // Each entry is its own call: its own DI scope, authorization, binding and error.
            await using var scope = scopes.CreateAsyncScope();
            answers[index] = await RunAsync(http, requests[index], scope.ServiceProvider);
        });
        return answers;
    }

    /// <summary>Runs one request; the serialized response, or null for a notification.</summary>
    private async Task<byte[]?> RunAsync(HttpContext http, JsonElement element, IServiceProvider services)
    {
        var request = JsonRpcRequest.Read(element);
        if (request.Invalid is { } invalid)
        {
            return writer.SerializeError(invalid, request.Id, ErrorTable.InvalidRequestCode, "Invalid Request");
        }

        var outcome = await dispatcher.DispatchAsync(request.Method, new CallParameters(request.Params), http, services, Transports.JsonRpc);
        return request.IsNotification ? null : writer.Serialize(outcome, request.Id);
    }

    private Task SendAsync(HttpContext http, byte[]? answer)
    {
        if (answer is null)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        return sender.SendAsync(http, StatusCodes.Status200OK, ContentType, answer);
    }

    private Task SendBatchAsync(HttpContext http, byte[]?[] answers)
    {
        var present = answers.OfType<byte[]>().ToList();
        if (present.Count == 0)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        // "[" + answers joined by "," + "]": one more byte than the answers and their separators.
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
        return sender.SendAsync(http, StatusCodes.Status200OK, ContentType, body);
    }

    private Task RejectAsync(HttpContext http, int statusCode, int code, string message, string? detail = null)
    {
        Log.RejectedRequest(logger, statusCode, detail ?? message);
        var body = writer.SerializeError(ErrorTable.Malformed(detail ?? message), default, code, message);
        return sender.SendAsync(http, statusCode, ContentType, body, headOnly: HttpMethods.IsHead(http.Request.Method));
    }
}
