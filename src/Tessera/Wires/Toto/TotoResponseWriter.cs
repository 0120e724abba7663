using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tessera.Auth;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Errors;
using Tessera.Wires.Formats;
using Tessera.Wires.Http;

namespace Tessera.Wires.Toto;

/// <summary>
/// Writes Toto answers: <c>{"result": ...}</c>, <c>{"error": {"code", "value"}}</c> and keyed batches, as ASCII-only
/// JSON. Results arrive serialized by the call runner; the writer frames them and adds the session block.
/// </summary>
internal sealed class TotoResponseWriter(TesseraJson json, ResponseSender sender)
{
    public async Task WriteSingleAsync(HttpContext http, Caller caller, CallAnswer answer, bool headOnly)
    {
        var session = caller.Session;
        if (answer.IsEmpty && session is null)
        {
            ResponseSender.SendEmpty(http, caller, StatusCodes.Status200OK);
            return;
        }

        using var buffer = Frame(answer, session);
        await SendAsync(http, caller, StatusCodes.Status200OK, buffer, headOnly, answer.IsBinary);
    }

    public async Task WriteErrorAsync(HttpContext http, Caller caller, int statusCode, MethodError error)
    {
        using var buffer = Frame(CallAnswer.Failed(error), caller.Session);
        await SendAsync(http, caller, statusCode, buffer, headOnly: HttpMethods.IsHead(http.Request.Method));
    }

    /// <summary>
    /// The keyed answers of a batch, each entry written straight into the one answer without a session block of its own
    /// (the batch carries one).
    /// </summary>
    public async Task WriteBatchAsync(HttpContext http, Caller caller, IReadOnlyList<KeyValuePair<string, CallAnswer>> entries)
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            var writer = lease.Writer;
            writer.WriteStartObject();
            writer.WriteStartObject("batch"u8);
            foreach (var (key, entry) in entries)
            {
                writer.WritePropertyName(key);
                WriteOutcome(writer, entry, session: null);
            }

            writer.WriteEndObject();
            WriteSession(writer, caller.Session);
            writer.WriteEndObject();
        }

        await SendAsync(http, caller, StatusCodes.Status200OK, buffer, headOnly: false);
    }

    /// <summary>One answer with its session block, in a pooled buffer the caller disposes.</summary>
    private PooledBufferWriter Frame(CallAnswer answer, Session? session)
    {
        var buffer = new PooledBufferWriter();
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            WriteOutcome(lease.Writer, answer, session);
        }

        return buffer;
    }

    private void WriteOutcome(Utf8JsonWriter writer, CallAnswer answer, Session? session)
    {
        writer.WriteStartObject();
        if (answer.Error is { } error)
        {
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, error.Code);
            writer.WritePropertyName("value"u8);
            // Values arrive as strings or JSON elements: the call runner serialized methods' own values already.
            if (error.Value is { } value)
            {
                JsonSerializer.Serialize(writer, value, json.ResultInfo(value.GetType()));
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteEndObject();
        }
        else if (!answer.IsEmpty || session is null)
        {
            writer.WritePropertyName("result"u8);
            if (answer.ResultJson is { } result)
            {
                writer.WriteRawValue(result, skipInputValidation: true);
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
        WriteUnixSeconds(writer, "expires"u8, session.ExpiresAt);
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

    /// <summary>
    /// A time as Unix seconds with milliseconds, the text a double of them would print as ("1796639831.775", "1796639831.7",
    /// "1796639831"), written from integers: formatting the double cost a fifth of writing an authenticated answer.
    /// </summary>
    internal static void WriteUnixSeconds(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset time)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        if (milliseconds < 0)
        {
            writer.WriteNumber(name, milliseconds / 1000.0);
            return;
        }

        Span<byte> text = stackalloc byte[24];
        (milliseconds / 1000).TryFormat(text, out var length, provider: CultureInfo.InvariantCulture);
        var fraction = (int)(milliseconds % 1000);
        if (fraction != 0)
        {
            text[length++] = (byte)'.';
            fraction.TryFormat(text[length..], out _, "000", CultureInfo.InvariantCulture);
            length += 3;
            while (text[length - 1] == (byte)'0')
            {
                length--;
            }
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>Sends the JSON answer, translated first when the client asked for another body format.</summary>
    private Task SendAsync(HttpContext http, Caller caller, int statusCode, PooledBufferWriter buffer, bool headOnly, bool binaryResult = false) =>
        http.Features.Get<AnswerFormat>() is { } answer
            ? sender.SendAsync(http, caller, statusCode, answer.Format.MediaType, answer.Format.FromJson(buffer.WrittenMemory.Span, binaryResult), headOnly)
            : sender.SendAsync(http, caller, statusCode, "application/json", buffer.WrittenMemory, headOnly);
}
