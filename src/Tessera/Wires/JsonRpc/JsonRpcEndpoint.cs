using Microsoft.AspNetCore.Http;
using Tessera.Auth;
using Tessera.Dispatch;
using Tessera.Errors;
using Tessera.Wires.Http;

namespace Tessera.Wires.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP (gemstone's <c>/api</c>): single requests, notifications (never answered; 204 when nothing
/// is left to answer) and batches (answered in request order as one array, run concurrently by the call runner).
/// </summary>
internal sealed class JsonRpcEndpoint(HttpWire wire, CallRunner runner, JsonRpcWriter writer, ResponseSender sender) : IHttpErrorShape
{
    private const string ContentType = "application/json";

    public Task HandleAsync(HttpContext http)
    {
        var caller = new Caller(http, Transports.JsonRpc);
        return wire.GuardAsync(http, caller, this, () => AnswerAsync(http, caller));
    }

    private async Task AnswerAsync(HttpContext http, Caller caller)
    {
        if (!await wire.RequirePostAsync(http, caller, this, "JSON-RPC requests"))
        {
            return;
        }

        if (BodyKinds.Of(http.Request.ContentType) != BodyKind.Json)
        {
            await wire.RejectAsync(http, caller, this, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{http.Request.ContentType}' is not supported; send application/json.");
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
            var answer = await JsonRpcBatch.AnswerAsync(document.RootElement, runner, writer, caller, http.RequestServices, http.RequestAborted);
            await SendAsync(http, caller, answer);
        }
    }

    private Task SendAsync(HttpContext http, Caller caller, byte[]? answer)
    {
        if (answer is null)
        {
            ResponseSender.SendEmpty(http, caller, StatusCodes.Status204NoContent);
            return Task.CompletedTask;
        }

        return sender.SendAsync(http, caller, StatusCodes.Status200OK, ContentType, answer);
    }

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
