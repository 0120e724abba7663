using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Errors;
using Tessera.Observability;
using Tessera.Wires.Http;

namespace Tessera.Wires.XmlRpc;

/// <summary>
/// XML-RPC at <c>/RPC2</c> (compatible with Python's <c>xmlrpc.client</c>): positional parameters into the same methods,
/// faults with the interoperable codes, and the <c>system.*</c> introspection methods including <c>multicall</c>.
/// </summary>
internal sealed class XmlRpcEndpoint(
    MethodDispatcher dispatcher,
    MethodRegistry registry,
    TesseraJson json,
    IOptions<TesseraOptions> options,
    IServiceScopeFactory scopes,
    ResponseSender sender,
    ILogger<XmlRpcEndpoint> logger)
{
    private const string ContentType = "text/xml";
    private static readonly string[] SystemMethods = ["system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall"];

    private readonly TesseraOptions _options = options.Value;

    /// <summary>One answer: a value (with how to type it at the top level) or a fault.</summary>
    private readonly record struct Answer(JsonElement Value, XmlRpcResponseWriter.TopLevel TopLevel, (int Code, string Message)? Fault);

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            if (!HttpMethods.IsPost(http.Request.Method))
            {
                http.Response.Headers.Allow = "POST";
                await RejectAsync(http, StatusCodes.Status405MethodNotAllowed, ErrorTable.InvalidRequestCode,
                    $"HTTP method {http.Request.Method} is not supported; XML-RPC calls are POSTed.");
                return;
            }

            if (!IsXml(http.Request.ContentType))
            {
                await RejectAsync(http, StatusCodes.Status415UnsupportedMediaType, ErrorTable.InvalidRequestCode,
                    $"Content-Type '{http.Request.ContentType}' is not supported; send text/xml.");
                return;
            }

            using var body = await RequestBody.ReadCallAsync(http, _options.MaxRequestBodySize, sender);
            if (body.TooLarge)
            {
                await RejectAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorTable.InvalidRequestCode,
                    $"The request body is larger than the limit of {_options.MaxRequestBodySize} bytes.");
                return;
            }

            string name;
            JsonDocument parameters;
            try
            {
                (name, parameters) = XmlRpcRequestReader.Read(body.Memory, _options.MaxJsonDepth);
            }
            catch (XmlRpcFormatException exception)
            {
                await RejectAsync(http, StatusCodes.Status200OK,
                    exception.NotWellFormed ? ErrorTable.ParseErrorCode : ErrorTable.InvalidRequestCode, exception.Message);
                return;
            }

            using (parameters)
            {
                var answer = await CallAsync(http, name, parameters.RootElement, http.RequestServices, allowMulticall: true);
                var document = answer.Fault is { } fault
                    ? XmlRpcResponseWriter.Fault(fault.Code, fault.Message)
                    : XmlRpcResponseWriter.Success(answer.Value, answer.TopLevel);
                await sender.SendAsync(http, StatusCodes.Status200OK, ContentType, document);
            }
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

    private async Task<Answer> CallAsync(HttpContext http, string name, JsonElement parameters, IServiceProvider services, bool allowMulticall)
    {
        switch (name)
        {
            case "system.listMethods":
                return Value(JsonSerializer.SerializeToElement(registry.Methods.Select(m => m.Name).Concat(SystemMethods).Order(StringComparer.Ordinal)));
            case "system.methodHelp":
                return Describe(parameters, method => Value(JsonSerializer.SerializeToElement(method.Description ?? string.Empty)));
            case "system.methodSignature":
                return Describe(parameters, method => Value(JsonSerializer.SerializeToElement(new[] { Signature(method) })));
            case "system.multicall" when allowMulticall:
                return await MulticallAsync(http, parameters);
            case "system.multicall":
                return Fault(ErrorTable.InvalidRequestCode, "system.multicall cannot be nested.");
        }

        var outcome = await dispatcher.DispatchAsync(name, new CallParameters(parameters), http, services, Transports.XmlRpc);
        if (outcome.Error is { } error)
        {
            return new Answer(default, default, ErrorTable.ToXmlRpc(error, value => JsonSerializer.Serialize(value, json.Results)));
        }

        try
        {
            var result = outcome.Method!.ResultTypeInfo is { } type
                ? JsonSerializer.SerializeToElement(outcome.Result, type)
                : default;
            return new Answer(result, TopLevelOf(outcome.Method.ResultTypeInfo?.Type), null);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            Log.ResultNotSerializable(logger, name, outcome.TransactionId, exception);
            return new Answer(default, default, ErrorTable.ToXmlRpc(dispatcher.ServerError(exception, outcome.TransactionId), _ => ""));
        }
    }

    /// <summary>Runs each call of a multicall as its own call; answers <c>[value]</c> or a fault struct per call.</summary>
    private async Task<Answer> MulticallAsync(HttpContext http, JsonElement parameters)
    {
        if (parameters.GetArrayLength() != 1 || parameters[0].ValueKind != JsonValueKind.Array)
        {
            return Fault(ErrorTable.InvalidParamsCode, "system.multicall takes one array of {methodName, params} structs.");
        }

        var calls = parameters[0];
        if (calls.GetArrayLength() > _options.MaxBatchSize)
        {
            return Fault(ErrorTable.InvalidRequestCode, $"The multicall has {calls.GetArrayLength()} calls; the limit is {_options.MaxBatchSize}.");
        }

        var results = new JsonArray();
        foreach (var call in calls.EnumerateArray())
        {
            Answer answer;
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("methodName", out var method) || method.ValueKind != JsonValueKind.String)
            {
                answer = Fault(ErrorTable.InvalidRequestCode, "Each multicall entry must be a struct with a methodName string.");
            }
            else
            {
                var arguments = call.TryGetProperty("params", out var given) && given.ValueKind == JsonValueKind.Array ? given : JsonSerializer.SerializeToElement(Array.Empty<object>());
                await using var scope = scopes.CreateAsyncScope();
                answer = await CallAsync(http, method.GetString()!, arguments, scope.ServiceProvider, allowMulticall: false);
            }

            results.Add(answer.Fault is { } fault
                ? new JsonObject { ["faultCode"] = fault.Code, ["faultString"] = fault.Message }
                : new JsonArray(JsonNode.Parse(answer.Value.ValueKind == JsonValueKind.Undefined ? "null" : answer.Value.GetRawText())));
        }

        return Value(JsonSerializer.SerializeToElement(results));
    }

    private Answer Describe(JsonElement parameters, Func<MethodDescriptor, Answer> describe)
    {
        if (parameters.GetArrayLength() != 1 || parameters[0].ValueKind != JsonValueKind.String)
        {
            return Fault(ErrorTable.InvalidParamsCode, "Give one method name.");
        }

        var name = parameters[0].GetString()!;
        return registry.TryGet(name, out var method)
            ? describe(method)
            : Fault(ErrorTable.MethodNotFoundCode, $"Cannot call '{name}'.");
    }

    private static string[] Signature(MethodDescriptor method) =>
        [XmlRpcTypes.NameOf(method.ReturnsVoid ? null : method.ResultTypeInfo?.Type), .. method.WireParameters.Select(p => XmlRpcTypes.NameOf(p.Type))];

    private static XmlRpcResponseWriter.TopLevel TopLevelOf(Type? type) =>
        type == typeof(byte[]) ? XmlRpcResponseWriter.TopLevel.Base64
        : type == typeof(DateTime) || type == typeof(DateTimeOffset) ? XmlRpcResponseWriter.TopLevel.DateTime
        : XmlRpcResponseWriter.TopLevel.Json;

    private static Answer Value(JsonElement value) => new(value, XmlRpcResponseWriter.TopLevel.Json, null);

    private static Answer Fault(int code, string message) => new(default, default, (code, message));

    private static bool IsXml(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || (MediaTypeHeaderValue.TryParse(contentType, out var media)
            && (media.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
                || media.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)));

    private Task RejectAsync(HttpContext http, int statusCode, int code, string message)
    {
        Log.RejectedRequest(logger, statusCode, message);
        return sender.SendAsync(http, statusCode, ContentType, XmlRpcResponseWriter.Fault(code, message));
    }
}
