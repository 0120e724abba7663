using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tessera.Auth;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;
using Tessera.Errors;
using Tessera.Serialization;
using Tessera.Wires.Http;

namespace Tessera.Wires.XmlRpc;

/// <summary>
/// XML-RPC at <c>/RPC2</c> (compatible with Python's <c>xmlrpc.client</c>): positional parameters into the same methods,
/// faults with the interoperable codes, and the <c>system.*</c> introspection methods including <c>multicall</c>.
/// </summary>
internal sealed class XmlRpcEndpoint(
    HttpWire wire,
    CallRunner runner,
    MethodRegistry registry,
    TesseraJson json,
    ResponseSender sender) : IHttpErrorShape
{
    private const string ContentType = "text/xml";
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;
    private static readonly string[] SystemMethods = ["system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall"];

    /// <summary>One answer: a value as JSON (null for nil, with how to type it at the top level) or a fault.</summary>
    private readonly record struct Answer(byte[]? Value, XmlRpcResponseWriter.TopLevel TopLevel, (int Code, string Message)? Fault);

    public Task HandleAsync(HttpContext http)
    {
        var caller = new Caller(http, Transports.XmlRpc);
        return wire.GuardAsync(http, caller, this, Handler);
    }

    /// <summary>The request's handler as one delegate for the endpoint's lifetime.</summary>
    private Func<HttpContext, Caller, Task> Handler => field ??= AnswerAsync;

    /// <summary>
    /// XML-RPC clients read faults, not statuses: an unreadable request keeps its 4xx, and a failure outside any call
    /// is a -32603 fault with HTTP 200 carrying the logged transaction id.
    /// </summary>
    public Task RejectAsync(HttpContext http, Caller caller, int statusCode, MethodError error)
    {
        var internalError = statusCode >= StatusCodes.Status500InternalServerError;
        var (code, message) = internalError
            ? ErrorTable.ToXmlRpc(error, value => value?.ToString() ?? string.Empty)
            : (ErrorTable.InvalidRequestCode, error.Value as string ?? "Invalid request");
        return SendFaultAsync(http, caller, internalError ? StatusCodes.Status200OK : statusCode, code, message);
    }

    private async Task AnswerAsync(HttpContext http, Caller caller)
    {
        if (!await wire.RequirePostAsync(http, caller, this, "XML-RPC calls"))
        {
            return;
        }

        if (!IsXml(http.Request.ContentType))
        {
            await wire.RejectAsync(http, caller, this, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{http.Request.ContentType}' is not supported; send text/xml.");
            return;
        }

        using var body = await wire.ReadBodyAsync(http, caller, this);
        if (body is null)
        {
            return;
        }

        string name;
        JsonDocument parameters;
        try
        {
            (name, parameters) = XmlRpcRequestReader.Read(body.Memory, wire.MaxJsonDepth, json.DocumentOptions, http.RequestAborted);
        }
        catch (XmlRpcFormatException exception)
        {
            var code = exception.NotWellFormed ? ErrorTable.ParseErrorCode : ErrorTable.InvalidRequestCode;
            await SendFaultAsync(http, caller, StatusCodes.Status200OK, code, exception.Message);
            return;
        }

        using (parameters)
        {
            var answer = await CallAsync(caller, name, parameters.RootElement, http.RequestServices, http.RequestAborted);
            using var document = new PooledBufferWriter();
            if (answer.Fault is { } fault)
            {
                XmlRpcResponseWriter.Fault(document, fault.Code, fault.Message);
            }
            else
            {
                XmlRpcResponseWriter.Success(document, answer.Value, answer.TopLevel);
            }

            await sender.SendAsync(http, caller, StatusCodes.Status200OK, ContentType, document.WrittenMemory);
        }
    }

    private async Task SendFaultAsync(HttpContext http, Caller caller, int statusCode, int code, string message)
    {
        using var document = new PooledBufferWriter();
        XmlRpcResponseWriter.Fault(document, code, message);
        await sender.SendAsync(http, caller, statusCode, ContentType, document.WrittenMemory);
    }

    /// <summary>
    /// One call: the request's own call runs in the request's scope (<paramref name="requestServices"/>); a multicall
    /// entry (null) runs in a scope of its own and cannot be a multicall itself.
    /// </summary>
    private async Task<Answer> CallAsync(
        Caller caller, string name, JsonElement parameters, IServiceProvider? requestServices, CancellationToken cancellationToken)
    {
        var topLevel = requestServices is not null;
        switch (name)
        {
            case "system.listMethods":
                return Value(JsonSerializer.SerializeToUtf8Bytes([.. registry.Methods.Select(m => m.Name).Concat(SystemMethods).Order(StringComparer.Ordinal)], CommonJsonContext.Default.StringArray));
            case "system.methodHelp":
                return Describe(parameters, method => Value(JsonSerializer.SerializeToUtf8Bytes(method.Description ?? string.Empty, ScalarJsonContext.Default.String)));
            case "system.methodSignature":
                return Describe(parameters, method => Value(JsonSerializer.SerializeToUtf8Bytes([Signature(method)], CommonJsonContext.Default.StringArrayArray)));
            case "system.multicall" when topLevel:
                return await MulticallAsync(caller, parameters, cancellationToken);
            case "system.multicall":
                return Fault(ErrorTable.InvalidRequestCode, "system.multicall cannot be nested.");
        }

        var call = new CallParameters(parameters);
        var answer = requestServices is not null
            ? await runner.RunAsync(name, call, caller, requestServices, cancellationToken)
            : await runner.RunScopedAsync(name, call, caller, cancellationToken);
        if (answer.Error is { } error)
        {
            return new Answer(null, default, ErrorTable.ToXmlRpc(error, value => value is null ? "null" : JsonSerializer.Serialize(value, json.ResultInfo(value.GetType()))));
        }

        return new Answer(answer.ResultJson, TopLevelOf(answer.Method?.ResultType), null);
    }

    /// <summary>Runs each call of a multicall as its own call, in order; answers <c>[value]</c> or a fault struct per call.</summary>
    private async Task<Answer> MulticallAsync(Caller caller, JsonElement parameters, CancellationToken cancellationToken)
    {
        if (parameters.GetArrayLength() != 1 || parameters[0].ValueKind != JsonValueKind.Array)
        {
            return Fault(ErrorTable.InvalidParamsCode, "system.multicall takes one array of {methodName, params} structs.");
        }

        var calls = parameters[0].EnumerateArray().ToArray();
        if (runner.CheckBatchSize(calls.Length) is { } tooMany)
        {
            return Fault(ErrorTable.InvalidRequestCode, (string)tooMany.Value!);
        }

        var answers = await runner.RunBatchAsync(calls, BatchOrder.Sequential, async (call, token) =>
        {
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("methodName", out var method) || method.ValueKind != JsonValueKind.String)
            {
                return Fault(ErrorTable.InvalidRequestCode, "Each multicall entry must be a struct with a methodName string.");
            }

            var arguments = call.TryGetProperty("params", out var given) && given.ValueKind == JsonValueKind.Array
                ? given
                : EmptyArray;
            return await CallAsync(caller, method.GetString()!, arguments, requestServices: null, token);
        }, cancellationToken);

        // Each call answers [value] or a fault struct, as the multicall convention has it.
        using var results = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(results))
        {
            writer.WriteStartArray();
            foreach (var answer in answers)
            {
                if (answer.Fault is { } fault)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("faultCode", fault.Code);
                    writer.WriteString("faultString", fault.Message);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteStartArray();
                    if (answer.Value is { } value)
                    {
                        writer.WriteRawValue(value, skipInputValidation: true);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }

                    writer.WriteEndArray();
                }
            }

            writer.WriteEndArray();
        }

        return Value(results.WrittenMemory.ToArray());
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
        [XmlRpcTypes.NameOf(method.ResultType), .. method.WireParameters.Select(p => XmlRpcTypes.NameOf(p.Type))];

    private static XmlRpcResponseWriter.TopLevel TopLevelOf(Type? type) =>
        type == typeof(byte[]) ? XmlRpcResponseWriter.TopLevel.Base64
        : type == typeof(DateTime) || type == typeof(DateTimeOffset) ? XmlRpcResponseWriter.TopLevel.DateTime
        : XmlRpcResponseWriter.TopLevel.Json;

    private static Answer Value(byte[] value) => new(value, XmlRpcResponseWriter.TopLevel.Json, null);

    private static Answer Fault(int code, string message) => new(default, default, (code, message));

    private static bool IsXml(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || (MediaTypeHeaderValue.TryParse(contentType, out var media)
            && (media.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
                || media.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)));
}
