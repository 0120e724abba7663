using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Auth;
using Tessera.Dispatch;
using Tessera.Errors;
using Tessera.Observability;

namespace Tessera.Wires.Http;

/// <summary>How one HTTP wire answers a request it cannot run: a status and an error in the wire's own shape.</summary>
internal interface IHttpErrorShape
{
    Task RejectAsync(HttpContext http, Caller caller, int statusCode, MethodError error);
}

/// <summary>
/// The HTTP preamble every HTTP wire shares: the caller, the verb, the body under the size limit (kept for signature
/// checks), UTF-8 JSON parsing with Tessera's own error text, and the last-resort policy that turns any unexpected
/// failure into the wire's own error shape carrying the transaction id the log line carries.
/// </summary>
internal sealed class HttpWire(
    ResponseSender sender,
    TesseraJson json,
    MethodDispatcher dispatcher,
    IOptions<TesseraOptions> options,
    ILogger<HttpWire> logger)
{
    private readonly long _limit = options.Value.MaxRequestBodySize;

    /// <summary>The deepest nesting a body may have (option max_json_depth), for body formats translated to JSON.</summary>
    public int MaxJsonDepth { get; } = options.Value.MaxJsonDepth;

    /// <summary>
    /// Runs <paramref name="handle"/> for one request: a client that went away gets nothing, an unreadable request gets
    /// a 4xx, and any other failure is logged with a transaction id and answered in the wire's shape. The handler takes
    /// the request and caller so a wire can pass one delegate it keeps, not a closure per request.
    /// </summary>
    public async Task GuardAsync(HttpContext http, Caller caller, IHttpErrorShape shape, Func<HttpContext, Caller, Task> handle)
    {
        try
        {
            await handle(http, caller);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException exception)
        {
            await RejectAsync(http, caller, shape, exception.StatusCode, exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLargeMessage()
                : "The request could not be read: " + exception.Message);
        }
        catch (Exception exception)
        {
            var transactionId = TransactionIds.Shared.Next();
            Log.EndpointFailed(logger, caller.Transport, http.Request.Path, transactionId, exception);
            if (!http.Response.HasStarted)
            {
                await shape.RejectAsync(http, caller, StatusCodes.Status500InternalServerError, dispatcher.ServerError(exception, transactionId));
            }
        }
    }

    /// <summary>Refuses a request that cannot be run (logged at debug level), in the wire's shape.</summary>
    public Task RejectAsync(HttpContext http, Caller caller, IHttpErrorShape shape, int statusCode, string reason)
    {
        Log.RejectedRequest(logger, statusCode, reason);
        return shape.RejectAsync(http, caller, statusCode, ErrorTable.Malformed(reason));
    }

    /// <summary>Refuses any verb but POST with 405 and <c>Allow: POST</c>; true when the request may go on.</summary>
    public async ValueTask<bool> RequirePostAsync(HttpContext http, Caller caller, IHttpErrorShape shape, string what)
    {
        if (HttpMethods.IsPost(http.Request.Method))
        {
            return true;
        }

        http.Response.Headers.Allow = "POST";
        await RejectAsync(http, caller, shape, StatusCodes.Status405MethodNotAllowed,
            $"HTTP method {http.Request.Method} is not supported; {what} are POSTed.");
        return false;
    }

    /// <summary>
    /// Reads the body whole under <c>max_request_body_size</c> (Kestrel's own limit raised to it where lower) and keeps
    /// it on the caller for signature checks. Null when it was too large: the request has been answered with 413.
    /// </summary>
    public async ValueTask<RequestBody?> ReadBodyAsync(HttpContext http, Caller caller, IHttpErrorShape shape)
    {
        RequestBody.RaiseServerLimit(http, _limit);
        var body = await RequestBody.ReadAsync(http.Request, _limit, http.RequestAborted);
        if (body.TooLarge)
        {
            body.Dispose();
            await RejectAsync(http, caller, shape, StatusCodes.Status413PayloadTooLarge, TooLargeMessage());
            return null;
        }

        if (sender.KeepsRawBody)
        {
            caller.RawBody = body.Memory;
        }

        return body;
    }

    /// <summary>Parses UTF-8 JSON with the wire's limits; on failure, a message in Tessera's words (no parser internals).</summary>
    public bool TryParseJson(ReadOnlyMemory<byte> body, out JsonDocument document, out string error)
    {
        document = null!;
        if (!Utf8.IsValid(body.Span))
        {
            error = "The request body is not valid UTF-8.";
            return false;
        }

        if (LoneSurrogates.Present(body.Span, MaxJsonDepth))
        {
            error = "The request body is not valid JSON: a \\u escape names half of a surrogate pair without the other half.";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body, json.DocumentOptions);
            error = string.Empty;
            return true;
        }
        catch (JsonException exception)
        {
            error = DescribeJsonError(exception, MaxJsonDepth, body.Span);
            return false;
        }
    }

    public string TooLargeMessage() =>
        $"The request body is larger than the limit of {_limit} bytes (option max_request_body_size).";

    /// <summary>What is wrong with a JSON text, where, in Tessera's words.</summary>
    public static string DescribeJsonError(JsonException exception, int maxDepth, ReadOnlySpan<byte> body)
    {
        var where = exception.LineNumber is { } line
            ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})"
            : string.Empty;
        // The parser's messages do not say reliably which of these it was ("Expected depth to be zero" is a body cut
        // short, not one too deep): the body is read again to tell, only on this path of a refused request.
        var (deepest, isPrefix) = Scan(body, maxDepth);
        var what = exception.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
            ? "The request body names the same member twice in one object; each name may appear once"
            : deepest > maxDepth
                ? $"The request body is nested deeper than the maximum configured depth of {maxDepth} (option max_json_depth)"
                : isPrefix && !body.Trim(" \t\r\n"u8).IsEmpty
                    ? "The request body is not valid JSON: it ends before every object and array in it is closed"
                    : "The request body is not valid JSON";
        return what + where + ".";
    }

    /// <summary>
    /// How many objects and arrays the body opens inside one another (read no further than one past
    /// <paramref name="maxDepth"/>), and whether all of it is a valid beginning of a JSON text that was cut short.
    /// </summary>
    private static (int Deepest, bool IsPrefix) Scan(ReadOnlySpan<byte> body, int maxDepth)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = maxDepth + 1 }));
        var deepest = 0;
        try
        {
            while (reader.Read())
            {
                var open = reader.CurrentDepth + (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? 1 : 0);
                deepest = Math.Max(deepest, open);
            }

            return (deepest, IsPrefix: true);
        }
        catch (JsonException)
        {
            // A syntax error, or two past the limit (one past it is recorded in deepest already): the reader stops.
            return (deepest, IsPrefix: false);
        }
    }
}
