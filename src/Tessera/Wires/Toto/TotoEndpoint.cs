using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Auth;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Errors;
using Tessera.Wires.Formats;
using Tessera.Wires.Http;

namespace Tessera.Wires.Toto;

/// <summary>
/// The Toto wire: <c>POST /</c> envelopes and keyed batches, URL-style <c>POST /a/b/c</c> (and <c>GET/HEAD</c> for methods marked safe), form bodies and
/// CORS. It only translates: request bytes to calls for the call runner, answers back to bytes.
/// </summary>
internal sealed class TotoEndpoint(
    HttpWire wire,
    CallRunner runner,
    TotoResponseWriter writer,
    TotoCors cors,
    SafeVerbs safeVerbs,
    BodyFormats formats) : IHttpErrorShape
{
    public Task HandleAsync(HttpContext http)
    {
        cors.Apply(http.Request, http.Response);
        if (formats.ForAnswer(http.Request) is { } answerFormat)
        {
            http.Features.Set(new AnswerFormat(answerFormat));
        }

        var caller = new Caller(http, Transports.Toto);
        return wire.GuardAsync(http, caller, this, Handler);
    }

    /// <summary>The request's handler as one delegate for the endpoint's lifetime.</summary>
    private Func<HttpContext, Caller, Task> Handler => field ??= RouteAsync;

    /// <summary>Toto answers unreadable requests and failures outside a call with an error envelope and the status.</summary>
    public Task RejectAsync(HttpContext http, Caller caller, int statusCode, MethodError error) =>
        writer.WriteErrorAsync(http, caller, statusCode, error);

    // RouteAsync and PostAsync only choose the handler: they hand its task on rather than await it (GuardAsync awaits
    // it and catches what it throws), which spares every request two async state machines.
    private Task RouteAsync(HttpContext http, Caller caller)
    {
        var method = http.Request.Method;
        if (HttpMethods.IsPost(method))
        {
            return PostAsync(http, caller);
        }

        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return GetAsync(http, caller, headOnly: HttpMethods.IsHead(method));
        }

        if (HttpMethods.IsOptions(method))
        {
            TotoCors.ApplyPreflight(http.Request, http.Response);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        http.Response.Headers.Allow = TotoCors.AllowedMethods;
        return wire.RejectAsync(http, caller, this, StatusCodes.Status405MethodNotAllowed,
            $"HTTP method {method} is not supported here; use GET, HEAD or POST.");
    }

    private async Task GetAsync(HttpContext http, Caller caller, bool headOnly)
    {
        var name = TotoEnvelope.MethodFromPath(http.GetRouteValue("path") as string);
        if (safeVerbs.RefuseGet(name) is { } refusal)
        {
            // Checked before the query is read: parameters of a refused call are never bound, let alone run.
            http.Response.Headers.Allow = HttpMethods.Post;
            await writer.WriteErrorAsync(http, caller, StatusCodes.Status405MethodNotAllowed, refusal);
            return;
        }

        // Most queries bind from the raw string; one with a repeated name is gathered into JSON (repeats make arrays).
        var direct = StringValuesJson.DirectQuery(http.Request);
        using var buffer = direct is null ? new PooledBufferWriter() : null;
        using var query = buffer is null ? null : StringValuesJson.ToDocument(http.Request.Query, buffer);
        var parameters = direct is not null
            ? CallParameters.FromQueryString(direct)
            : new CallParameters(query?.RootElement ?? default, fromStrings: true);
        var answer = await runner.RunAsync(name, parameters, caller, http.RequestServices, http.RequestAborted);
        await writer.WriteSingleAsync(http, caller, answer, headOnly);
    }

    private Task PostAsync(HttpContext http, Caller caller)
    {
        var request = http.Request;
        var pathMethod = TotoEnvelope.MethodFromPath(http.GetRouteValue("path") as string);
        return BodyKinds.Of(request.ContentType) switch
        {
            BodyKind.Json => PostJsonAsync(http, caller, pathMethod, format: null),
            BodyKind.Form => PostFormAsync(http, caller, pathMethod),
            BodyKind.Unsupported when formats.ForContentType(request.ContentType) is { } format => PostJsonAsync(http, caller, pathMethod, format),
            _ => wire.RejectAsync(http, caller, this, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not supported; send application/json, " +
                "application/x-www-form-urlencoded, multipart/form-data or a registered body format."),
        };
    }

    private async Task PostFormAsync(HttpContext http, Caller caller, string? pathMethod)
    {
        // The form is read whole under the limit first: kept for signature checks, then replayed to the form reader.
        using var body = await wire.ReadBodyAsync(http, caller, this);
        if (body is null)
        {
            return;
        }

        http.Request.Body = new MemoryStream(body.Memory.ToArray(), writable: false);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            // A truncated multipart body, a bad boundary, too many fields: the client's request, not our failure.
            await wire.RejectAsync(http, caller, this, StatusCodes.Status400BadRequest,
                "The form could not be read: it is truncated or malformed (check the multipart boundary and the body's end).");
            return;
        }

        var name = pathMethod ?? (form.TryGetValue("method", out var method) ? method.ToString() : null);
        using var buffer = new PooledBufferWriter();
        using var fields = StringValuesJson.ToDocument(form, buffer);
        var parameters = new CallParameters(fields?.RootElement ?? default, fromStrings: true, form.Files);
        var answer = await runner.RunAsync(name, parameters, caller, http.RequestServices, http.RequestAborted);
        await writer.WriteSingleAsync(http, caller, answer, headOnly: false);
    }

    /// <summary>A JSON body, or a body in another format translated to JSON first.</summary>
    private async Task PostJsonAsync(HttpContext http, Caller caller, string? pathMethod, IBodyFormat? format)
    {
        using var body = await wire.ReadBodyAsync(http, caller, this);
        if (body is null)
        {
            return;
        }

        var json = body.Memory;
        if (format is not null && body.Length > 0)
        {
            try
            {
                json = format.ToJson(body.Memory.Span, wire.MaxJsonDepth);
            }
            catch (FormatException exception)
            {
                await wire.RejectAsync(http, caller, this, StatusCodes.Status400BadRequest, $"The {format.MediaType} body is malformed: {exception.Message}");
                return;
            }
        }

        if (json.Length == 0)
        {
            var empty = await runner.RunAsync(pathMethod, default, caller, http.RequestServices, http.RequestAborted);
            await writer.WriteSingleAsync(http, caller, empty, headOnly: false);
            return;
        }

        if (!wire.TryParseJson(json, out var document, out var problem))
        {
            await wire.RejectAsync(http, caller, this, StatusCodes.Status400BadRequest, problem);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await wire.RejectAsync(http, caller, this, StatusCodes.Status400BadRequest,
                    $"The request body must be a JSON object, not {Describe(root.ValueKind)}.");
            }
            else if (pathMethod is null && root.TryGetProperty("batch"u8, out var batch))
            {
                await BatchAsync(http, caller, batch);
            }
            else
            {
                await SingleAsync(http, caller, root, pathMethod);
            }
        }
    }

    private async Task SingleAsync(HttpContext http, Caller caller, JsonElement root, string? pathMethod)
    {
        var call = TotoEnvelope.Read(root, pathMethod);
        if (call.Error is { } error)
        {
            await writer.WriteErrorAsync(http, caller, StatusCodes.Status400BadRequest, error);
            return;
        }

        var answer = await runner.RunAsync(call.MethodName, new CallParameters(call.Parameters), caller, http.RequestServices, http.RequestAborted);
        await writer.WriteSingleAsync(http, caller, answer, headOnly: false);
    }

    private async Task BatchAsync(HttpContext http, Caller caller, JsonElement batch)
    {
        if (batch.ValueKind != JsonValueKind.Object)
        {
            await wire.RejectAsync(http, caller, this, StatusCodes.Status400BadRequest, "'batch' must be an object of calls keyed by name.");
            return;
        }

        // Keys are unique: the parser refuses duplicate member names. Entries run one after another in key order.
        // Each key is read once: JsonProperty.Name decodes a new string on every use, and sorting uses it often.
        var calls = new List<KeyValuePair<string, JsonElement>>();
        foreach (var entry in batch.EnumerateObject())
        {
            calls.Add(new(entry.Name, entry.Value));
        }

        if (runner.CheckBatchSize(calls.Count) is { } tooMany)
        {
            await writer.WriteErrorAsync(http, caller, StatusCodes.Status400BadRequest, tooMany);
            return;
        }

        calls.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var answers = await runner.RunBatchAsync(calls, BatchOrder.Sequential, (entry, token) => RunEntryAsync(caller, entry, token), http.RequestAborted);
        await writer.WriteBatchAsync(http, caller, answers);
    }

    /// <summary>One keyed entry and its answer.</summary>
    private ValueTask<KeyValuePair<string, CallAnswer>> RunEntryAsync(
        Caller caller, KeyValuePair<string, JsonElement> entry, CancellationToken cancellationToken)
    {
        if (entry.Value.ValueKind != JsonValueKind.Object)
        {
            return new(new KeyValuePair<string, CallAnswer>(entry.Key, CallAnswer.Failed(ErrorTable.Malformed(
                $"Batch entry '{entry.Key}' must be an object with 'method' and 'parameters'."))));
        }

        var call = TotoEnvelope.Read(entry.Value, pathMethod: null);
        if (call.Error is { } error)
        {
            return new(new KeyValuePair<string, CallAnswer>(entry.Key, CallAnswer.Failed(error)));
        }

        var running = runner.RunScopedAsync(call.MethodName, new CallParameters(call.Parameters), caller, cancellationToken);
        return running.IsCompletedSuccessfully
            ? new(new KeyValuePair<string, CallAnswer>(entry.Key, running.Result))
            : Keyed(entry.Key, running);

        static async ValueTask<KeyValuePair<string, CallAnswer>> Keyed(string key, ValueTask<CallAnswer> running) => new(key, await running);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
