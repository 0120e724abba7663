using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Errors;
using Tessera.Observability;
using Tessera.Wires.Formats;
using Tessera.Wires.Http;

namespace Tessera.Wires.Toto;

/// <summary>
/// The Toto wire: <c>POST /</c> envelopes and keyed batches, URL-style <c>POST/GET/HEAD /a/b/c</c>, form bodies and
/// CORS. It only translates: request bytes to calls for the dispatcher, outcomes back to bytes.
/// </summary>
internal sealed class TotoEndpoint(
    MethodDispatcher dispatcher,
    TotoResponseWriter writer,
    TotoCors cors,
    TesseraJson jsonOptions,
    IOptions<TesseraOptions> options,
    IServiceScopeFactory scopes,
    ILogger<TotoEndpoint> logger,
    ResponseSender sender,
    BodyFormats formats)
{
    private readonly TesseraOptions _options = options.Value;

    public async Task HandleAsync(HttpContext http)
    {
        cors.Apply(http.Response);
        if (formats.ForAnswer(http.Request) is { } answerFormat)
        {
            http.Features.Set(new AnswerFormat(answerFormat));
        }

        try
        {
            var method = http.Request.Method;
            if (HttpMethods.IsPost(method))
            {
                await PostAsync(http);
            }
            else if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
            {
                await GetAsync(http, headOnly: HttpMethods.IsHead(method));
            }
            else if (HttpMethods.IsOptions(method))
            {
                cors.ApplyPreflight(http.Request, http.Response);
                http.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            else
            {
                http.Response.Headers.Allow = TotoCors.AllowedMethods;
                await RejectAsync(http, StatusCodes.Status405MethodNotAllowed,
                    $"HTTP method {method} is not supported here; use GET, HEAD or POST.");
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException exception)
        {
            await RejectAsync(http, exception.StatusCode, exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLargeMessage()
                : "The request could not be read: " + exception.Message);
        }
        catch (Exception exception)
        {
            Log.EndpointFailed(logger, http.Request.Path, exception);
            if (!http.Response.HasStarted)
            {
                await writer.WriteErrorAsync(http, StatusCodes.Status500InternalServerError,
                    dispatcher.ServerError(exception, Guid.NewGuid()));
            }
        }
    }

    private async Task GetAsync(HttpContext http, bool headOnly)
    {
        var name = TotoEnvelope.MethodFromPath(http.GetRouteValue("path") as string);
        using var buffer = new PooledBufferWriter();
        using var query = StringValuesJson.ToDocument(http.Request.Query, buffer);
        var parameters = new CallParameters(query?.RootElement ?? default, fromStrings: true);
        var outcome = await dispatcher.DispatchAsync(name, parameters, http, http.RequestServices, Transports.Toto);
        await writer.WriteSingleAsync(http, outcome, headOnly);
    }

    private async Task PostAsync(HttpContext http)
    {
        var request = http.Request;
        RequestBody.ApplyLimit(http, _options.MaxRequestBodySize);
        var pathMethod = TotoEnvelope.MethodFromPath(http.GetRouteValue("path") as string);
        switch (BodyKinds.Of(request.ContentType))
        {
            case BodyKind.Json:
                await PostJsonAsync(http, pathMethod, format: null);
                break;
            case BodyKind.Form:
                await PostFormAsync(http, pathMethod);
                break;
            case BodyKind.Unsupported when formats.ForContentType(request.ContentType) is { } format:
                await PostJsonAsync(http, pathMethod, format);
                break;
            default:
                await RejectAsync(http, StatusCodes.Status415UnsupportedMediaType,
                    $"Content-Type '{request.ContentType}' is not supported; send application/json, " +
                    "application/x-www-form-urlencoded, multipart/form-data or a registered body format.");
                break;
        }
    }

    private async Task PostFormAsync(HttpContext http, string? pathMethod)
    {
        if (http.Request.ContentLength > _options.MaxRequestBodySize)
        {
            await RejectAsync(http, StatusCodes.Status413PayloadTooLarge, TooLargeMessage());
            return;
        }

        using var raw = sender.KeepsRawBody ? await KeepRawBodyAsync(http) : null;
        if (raw is { TooLarge: true })
        {
            await RejectAsync(http, StatusCodes.Status413PayloadTooLarge, TooLargeMessage());
            return;
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException exception)
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest, "The form could not be read: " + exception.Message);
            return;
        }

        var name = pathMethod ?? (form.TryGetValue("method", out var method) ? method.ToString() : null);
        using var buffer = new PooledBufferWriter();
        using var fields = StringValuesJson.ToDocument(form, buffer);
        var parameters = new CallParameters(fields?.RootElement ?? default, fromStrings: true, form.Files);
        var outcome = await dispatcher.DispatchAsync(name, parameters, http, http.RequestServices, Transports.Toto);
        await writer.WriteSingleAsync(http, outcome, headOnly: false);
    }

    /// <summary>A JSON body, or a body in another format translated to JSON first.</summary>
    private async Task PostJsonAsync(HttpContext http, string? pathMethod, IBodyFormat? format)
    {
        using var body = await RequestBody.ReadAsync(http.Request, _options.MaxRequestBodySize, http.RequestAborted);
        if (body.TooLarge)
        {
            await RejectAsync(http, StatusCodes.Status413PayloadTooLarge, TooLargeMessage());
            return;
        }

        sender.RememberRawBody(http, body.Memory);
        var json = body.Memory;
        if (format is not null && body.Length > 0)
        {
            try
            {
                json = format.ToJson(body.Memory.Span, _options.MaxJsonDepth);
            }
            catch (FormatException exception)
            {
                await RejectAsync(http, StatusCodes.Status400BadRequest, $"The {format.MediaType} body is malformed: {exception.Message}");
                return;
            }
        }

        if (json.Length == 0)
        {
            var empty = await dispatcher.DispatchAsync(pathMethod, default, http, http.RequestServices, Transports.Toto);
            await writer.WriteSingleAsync(http, empty, headOnly: false);
            return;
        }

        if (!Utf8.IsValid(json.Span))
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest, "The request body is not valid UTF-8.");
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, jsonOptions.DocumentOptions);
        }
        catch (JsonException exception)
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest, "The request body is not valid JSON: " + exception.Message);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await RejectAsync(http, StatusCodes.Status400BadRequest,
                    $"The request body must be a JSON object, not {Describe(root.ValueKind)}.");
            }
            else if (pathMethod is null && root.TryGetProperty("batch"u8, out var batch))
            {
                await BatchAsync(http, batch);
            }
            else
            {
                await SingleAsync(http, root, pathMethod);
            }
        }
    }

    private async Task SingleAsync(HttpContext http, JsonElement root, string? pathMethod)
    {
        var call = TotoEnvelope.Read(root, pathMethod);
        if (call.Error is { } error)
        {
            await writer.WriteErrorAsync(http, StatusCodes.Status400BadRequest, error);
            return;
        }

        var outcome = await dispatcher.DispatchAsync(
            call.MethodName, new CallParameters(call.Parameters), http, http.RequestServices, Transports.Toto);
        await writer.WriteSingleAsync(http, outcome, headOnly: false);
    }

    private async Task BatchAsync(HttpContext http, JsonElement batch)
    {
        if (batch.ValueKind != JsonValueKind.Object)
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest, "'batch' must be an object of calls keyed by name.");
            return;
        }

        var calls = batch.EnumerateObject().ToList();
        if (calls.Count > _options.MaxBatchSize)
        {
            await RejectAsync(http, StatusCodes.Status400BadRequest,
                $"The batch has {calls.Count} calls; the limit is {_options.MaxBatchSize}.");
            return;
        }

        calls.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < calls.Count; i++)
        {
            if (calls[i].Name == calls[i - 1].Name)
            {
                await RejectAsync(http, StatusCodes.Status400BadRequest, $"The batch has the key '{calls[i].Name}' twice.");
                return;
            }
        }

        var answers = new List<KeyValuePair<string, byte[]>>(calls.Count);
        foreach (var entry in calls)
        {
            answers.Add(new(entry.Name, await RunEntryAsync(http, entry)));
        }

        await writer.WriteBatchAsync(http, answers, headOnly: false);
    }

    private async Task<byte[]> RunEntryAsync(HttpContext http, JsonProperty entry)
    {
        if (entry.Value.ValueKind != JsonValueKind.Object)
        {
            return writer.SerializeEntry(CallOutcome.Failed(ErrorTable.Malformed(
                $"Batch entry '{entry.Name}' must be an object with 'method' and 'parameters'.")));
        }

        var call = TotoEnvelope.Read(entry.Value, pathMethod: null);
        if (call.Error is { } error)
        {
            return writer.SerializeEntry(CallOutcome.Failed(error));
        }

        // Each entry is its own call: its own DI scope, binding, authorization and errors.
        await using var scope = scopes.CreateAsyncScope();
        var outcome = await dispatcher.DispatchAsync(
            call.MethodName, new CallParameters(call.Parameters), http, scope.ServiceProvider, Transports.Toto);
        return writer.SerializeEntry(outcome);
    }

    /// <summary>Reads a form body whole for signature checks, then replays it to the form reader.</summary>
    private async Task<RequestBody> KeepRawBodyAsync(HttpContext http)
    {
        var body = await RequestBody.ReadAsync(http.Request, _options.MaxRequestBodySize, http.RequestAborted);
        if (!body.TooLarge)
        {
            sender.RememberRawBody(http, body.Memory);
            http.Request.Body = new MemoryStream(body.Memory.ToArray(), writable: false);
        }

        return body;
    }

    private Task RejectAsync(HttpContext http, int statusCode, string reason)
    {
        Log.RejectedRequest(logger, statusCode, reason);
        return writer.WriteErrorAsync(http, statusCode, ErrorTable.Malformed(reason));
    }

    private string TooLargeMessage() =>
        $"The request body is larger than the limit of {_options.MaxRequestBodySize} bytes (option max_request_body_size).";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
