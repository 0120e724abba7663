using Microsoft.AspNetCore.Http;
using Tessera.Auth;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Errors;
using Tessera.Wires.Http;

namespace Tessera.Wires.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP (gemstone's <c>/api</c>): single requests, notifications (never answered: an empty 200 when
/// nothing is left to answer) and batches (answered in request order as one array, run concurrently by the call runner).
/// </summary>
/// <remarks>
/// Two choices here are for the seeds' own clients. Notifications get an empty 200 rather than 204, because
/// jsonrpclib-pelix (the client Atila's documentation installs) raises a transport error on any status but 200, and
/// every other client tried (jayson, gemstone, Tessera's) accepts an empty 200. Clients that send
/// <c>User-Agent: gemstone-client</c> get both <c>result</c> and <c>error</c> in every answer object (see
/// <see cref="JsonRpcWriter.WithBothMembers"/>).
/// </remarks>
internal sealed class JsonRpcEndpoint(HttpWire wire, CallRunner runner, JsonRpcWriter writer, ResponseSender sender) : IHttpErrorShape
{
    private const string ContentType = "application/json";

    public Task HandleAsync(HttpContext http)
    {
        var caller = new Caller(http, Transports.JsonRpc);
        return wire.GuardAsync(http, caller, this, Handler);
    }

    /// <summary>The request's handler as one delegate for the endpoint's lifetime.</summary>
    private Func<HttpContext, Caller, Task> Handler => field ??= AnswerAsync;

    private async Task AnswerAsync(HttpContext http, Caller caller)
    {
        if (!await wire.RequirePostAsync(http, caller, this, "JSON-RPC requests"))
        {
            return;
        }

        if (!IsJsonRpcMediaType(http.Request.ContentType))
        {
            await wire.RejectAsync(http, caller, this, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{http.Request.ContentType}' is not supported; send application/json (or application/json-rpc).");
            return;
        }

        using var body = await wire.ReadBodyAsync(http, caller, this);
        if (body is null)
        {
            return;
        }

        if (!wire.TryParseJson(body.Memory, out var document, out var problem))
        {
            await SendAsync(http, caller, writer.SerializeError(ErrorTable.Malformed(problem), default, ErrorTable.ParseErrorCode, "Parse error"));
            return;
        }

        using (document)
        {
            var shape = IsGemstoneClient(http) ? writer.WithBothMembers : writer;
            using var answer = new PooledBufferWriter();
            var answered = await JsonRpcBatch.AnswerAsync(document.RootElement, runner, shape, caller, http.RequestServices, answer, http.RequestAborted);
            await SendAsync(http, caller, answered ? answer.WrittenMemory : null);
        }
    }

    private Task SendAsync(HttpContext http, Caller caller, ReadOnlyMemory<byte>? answer)
    {
        if (answer is not { } body)
        {
            ResponseSender.SendEmpty(http, caller, StatusCodes.Status200OK);
            return Task.CompletedTask;
        }

        return sender.SendAsync(http, caller, StatusCodes.Status200OK, ContentType, body);
    }

    /// <summary>The JSON media types JSON-RPC clients send: JSON itself, jsonrpclib's and the older JSONRequest one.</summary>
    private static bool IsJsonRpcMediaType(string? contentType)
    {
        if (BodyKinds.Of(contentType) == BodyKind.Json)
        {
            return true;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        mediaType = (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim();
        return mediaType.Equals("application/json-rpc", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/jsonrequest", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsGemstoneClient(HttpContext http) =>
        http.Request.Headers.UserAgent.ToString().StartsWith("gemstone-client", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A request the wire cannot run: 4xx for an unreadable one, and for a failure outside any call a -32603 with
    /// HTTP 200 (JSON-RPC clients read errors from the body) carrying the logged transaction id.
    /// </summary>
    public Task RejectAsync(HttpContext http, Caller caller, int statusCode, MethodError error)
    {
        var internalError = statusCode >= StatusCodes.Status500InternalServerError;
        var body = internalError
            ? writer.SerializeError(error, default)
            : writer.SerializeError(error, default, ErrorTable.InvalidRequestCode, "Invalid Request");
        return sender.SendAsync(http, caller, internalError ? StatusCodes.Status200OK : statusCode, ContentType, body,
            headOnly: HttpMethods.IsHead(http.Request.Method));
    }
}
