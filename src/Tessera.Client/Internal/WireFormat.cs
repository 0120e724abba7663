using System.Buffers;
using System.Text.Json;

namespace Tessera.Client;

/// <summary>Writes request bodies and reads answers for JSON-RPC 2.0 and the Toto envelope (docs/protocol.md).</summary>
internal static class WireFormat
{
    public static byte[] JsonRpcRequest(string method, ReadOnlyMemory<byte> parameters, long? id)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + parameters.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJsonRpcRequest(writer, method, parameters, id);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteJsonRpcRequest(Utf8JsonWriter writer, string method, ReadOnlyMemory<byte> parameters, long? id)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0");
        writer.WriteString("method"u8, method);
        writer.WritePropertyName("params"u8);
        writer.WriteRawValue(parameters.Span, skipInputValidation: true);
        if (id is { } value)
        {
            writer.WriteNumber("id"u8, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteTotoCall(Utf8JsonWriter writer, string method, ReadOnlyMemory<byte> parameters)
    {
        writer.WriteStartObject();
        writer.WriteString("method"u8, method);
        writer.WritePropertyName("parameters"u8);
        writer.WriteRawValue(parameters.Span, skipInputValidation: true);
        writer.WriteEndObject();
    }

    /// <summary>A JSON-RPC answer object: its result (cloned unless read before its document goes), or its error thrown.</summary>
    public static JsonElement ReadJsonRpcAnswer(JsonElement answer, bool clone = true)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            throw new TesseraTransportException($"Not a JSON-RPC answer: {answer.GetRawText()}", requestSent: true);
        }

        if (answer.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code"u8, out var c) && c.TryGetInt32(out var number) ? number : 0;
            var message = error.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : $"Error {code}";
            var value = error.TryGetProperty("data"u8, out var data) ? data.Clone() : m.Clone();
            // Protocol errors carry JSON-RPC's fixed message ("Invalid params") and the reason in data: the reason is
            // what a caller needs to read, and what the Toto and XML-RPC wires give as the message.
            if (data.ValueKind == JsonValueKind.String && data.GetString() is { Length: > 0 } reason)
            {
                message = reason;
            }

            throw new TesseraCallException(code, message, value);
        }

        return answer.TryGetProperty("result"u8, out var result)
            ? clone ? result.Clone() : result
            : throw new TesseraTransportException($"A JSON-RPC answer without result or error: {answer.GetRawText()}", requestSent: true);
    }

    /// <summary>A Toto answer (<c>{"result"}</c> or <c>{"error": {"code", "value"}}</c>): its result, or its error thrown.</summary>
    public static JsonElement ReadTotoAnswer(JsonElement answer, bool clone = true)
    {
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code"u8, out var c) && c.TryGetInt32(out var number) ? number : 0;
            var value = error.TryGetProperty("value"u8, out var v) ? v.Clone() : default;
            var message = value.ValueKind == JsonValueKind.String ? value.GetString()! : $"Error {code}: {(value.ValueKind == JsonValueKind.Undefined ? "" : value.GetRawText())}";
            throw new TesseraCallException(code, message, value);
        }

        return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("result"u8, out var result)
            ? clone ? result.Clone() : result
            : throw new TesseraTransportException($"A Toto answer without result or error: {answer.GetRawText()}", requestSent: true);
    }

    public static T Convert<T>(JsonElement value, JsonSerializerOptions options)
    {
        // Deserializing copies what it keeps (a JsonElement result is cloned), so the answer's document can go.
        try
        {
            return value.Deserialize(ClientJson.TypeInfo<T>(options))!;
        }
        catch (JsonException exception)
        {
            throw new TesseraTransportException(
                $"The result {Shorten(value.GetRawText())} cannot be read as {typeof(T).Name}: {exception.Message}", requestSent: true, innerException: exception);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
