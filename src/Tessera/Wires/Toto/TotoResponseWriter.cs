using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tessera.Auth.Sessions;
using Tessera.Dispatch;
using Tessera.Errors;
using Tessera.Observability;
using Tessera.Wires.Formats;
using Tessera.Wires.Http;

namespace Tessera.Wires.Toto;

/// <summary>
/// Writes Toto answers: <c>{"result": ...}</c>, <c>{"error": {"code", "value"}}</c> and keyed batches, as ASCII-only
/// JSON. A result that cannot be serialized becomes a 1000 error instead of a half-written body.
/// </summary>
internal sealed class TotoResponseWriter(
    TesseraJson json,
    MethodDispatcher dispatcher,
    ResponseSender sender,
    ILogger<TotoResponseWriter> logger)
{
    public async Task WriteSingleAsync(HttpContext http, CallOutcome outcome, bool headOnly)
    {
        var session = RequestSessionFeature.CurrentOf(http);
        if (outcome.IsEmpty && session is null)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentLength = 0;
            return;
        }

        using var buffer = new PooledBufferWriter();
        WriteOutcome(buffer, outcome, session);
        var binaryResult = outcome.Error is null && outcome.Method?.ResultTypeInfo?.Type == typeof(byte[]);
        await SendAsync(http, StatusCodes.Status200OK, buffer, headOnly, binaryResult);
    }

    public async Task WriteErrorAsync(HttpContext http, int statusCode, MethodError error)
    {
        using var buffer = new PooledBufferWriter();
        WriteOutcome(buffer, CallOutcome.Failed(error), RequestSessionFeature.CurrentOf(http));
        await SendAsync(http, statusCode, buffer, headOnly: HttpMethods.IsHead(http.Request.Method));
    }

    /// <summary>Serializes one batch entry now, while the services its result may depend on are still alive.</summary>
    public byte[] SerializeEntry(CallOutcome outcome)
    {
        using var buffer = new PooledBufferWriter();
        WriteOutcome(buffer, outcome, session: null);
        return buffer.WrittenMemory.ToArray();
    }

    public async Task WriteBatchAsync(HttpContext http, IReadOnlyList<KeyValuePair<string, byte[]>> entries, bool headOnly)
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var writer = new Utf8JsonWriter(buffer, json.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("batch"u8);
            foreach (var (key, entry) in entries)
            {
                writer.WritePropertyName(key);
                writer.WriteRawValue(entry, skipInputValidation: true);
            }

            writer.WriteEndObject();
            WriteSession(writer, RequestSessionFeature.CurrentOf(http));
            writer.WriteEndObject();
        }

        await SendAsync(http, StatusCodes.Status200OK, buffer, headOnly);
    }

    private void WriteOutcome(PooledBufferWriter buffer, CallOutcome outcome, Session? session)
    {
        try
        {
            using var writer = new Utf8JsonWriter(buffer, json.WriterOptions);
            WriteOutcome(writer, outcome, session);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            Log.ResultNotSerializable(logger, outcome.Method?.Name ?? "(none)", outcome.TransactionId, exception);
            buffer.Clear();
            using var writer = new Utf8JsonWriter(buffer, json.WriterOptions);
            WriteOutcome(writer, outcome with { Error = dispatcher.ServerError(exception, outcome.TransactionId) }, session);
        }
    }

    private void WriteOutcome(Utf8JsonWriter writer, CallOutcome outcome, Session? session)
    {
        writer.WriteStartObject();
        if (outcome.Error is { } error)
        {
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, error.Code);
            writer.WritePropertyName("value"u8);
            JsonSerializer.Serialize(writer, error.Value, error.Value?.GetType() ?? typeof(object), json.Results);
            writer.WriteEndObject();
        }
        else if (!outcome.IsEmpty || session is null)
        {
            writer.WritePropertyName("result"u8);
            if (outcome.Method?.ResultTypeInfo is { } resultType)
            {
                JsonSerializer.Serialize(writer, outcome.Result, resultType);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        WriteSession(writer, session);
        writer.WriteEndObject();
    }

    /// <summary>The <c>session</c> block Toto clients read on every answer whose request loaded or created a session.</summary>
    private static void WriteSession(Utf8JsonWriter writer, Session? session)
    {
        if (session is null)
        {
            return;
        }

        writer.WriteStartObject("session"u8);
        writer.WriteString("session_id"u8, session.Id);
        writer.WriteNumber("expires"u8, session.ExpiresAt.ToUnixTimeMilliseconds() / 1000.0);
        if (session.UserId is { } userId)
        {
            writer.WriteString("user_id"u8, userId);
        }
        else
        {
            writer.WriteNull("user_id"u8);
        }

        writer.WriteEndObject();
    }

    /// <summary>Sends the JSON answer, translated first when the client asked for another body format.</summary>
    private Task SendAsync(HttpContext http, int statusCode, PooledBufferWriter buffer, bool headOnly, bool binaryResult = false) =>
        http.Features.Get<AnswerFormat>() is { } answer
            ? sender.SendAsync(http, statusCode, answer.Format.MediaType, answer.Format.FromJson(buffer.WrittenMemory.Span, binaryResult), headOnly)
            : sender.SendAsync(http, statusCode, "application/json", buffer.WrittenMemory, headOnly);
}
