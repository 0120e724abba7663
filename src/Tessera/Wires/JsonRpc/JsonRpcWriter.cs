using System.Text.Json;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Errors;

namespace Tessera.Wires.JsonRpc;

/// <summary>
/// Writes JSON-RPC 2.0 response objects: <c>{"jsonrpc": "2.0", "result" | "error", "id"}</c>, echoing the id exactly
/// as sent (its type, and 0, included). Results arrive already serialized by the call runner.
/// </summary>
internal sealed class JsonRpcWriter
{
    private readonly TesseraJson json;
    private readonly bool _writesBothMembers;

    public JsonRpcWriter(TesseraJson json)
        : this(json, writesBothMembers: false)
    {
    }

    private JsonRpcWriter(TesseraJson json, bool writesBothMembers)
    {
        this.json = json;
        _writesBothMembers = writesBothMembers;
        WithBothMembers = writesBothMembers ? this : new JsonRpcWriter(json, writesBothMembers: true);
    }

    /// <summary>
    /// A writer that puts <c>"error": null</c> beside every result and <c>"result": null</c> beside every error.
    /// gemstone's <c>RemoteService</c> reads both members of every answer and fails with <c>KeyError</c> without them;
    /// spec-exact clients never get this shape (JSON-RPC 2.0 says exactly one of the two is present).
    /// </summary>
    public JsonRpcWriter WithBothMembers { get; }

    /// <summary>
    /// Writes a message's answer into <paramref name="output"/>: one response object, or for a batch the array of its
    /// entries' responses in request order, notifications left out. False when there is nothing to send.
    /// </summary>
    public bool Write(PooledBufferWriter output, ReadOnlySpan<JsonRpcOutcome> outcomes, bool asArray)
    {
        var answered = 0;
        foreach (var outcome in outcomes)
        {
            answered += outcome.IsSilent ? 0 : 1;
        }

        if (answered == 0)
        {
            return false;
        }

        // One writer for the whole message: entries go straight into the answer, with no buffer or copy of their own.
        using var lease = JsonWriterCache.Rent(output);
        var writer = lease.Writer;
        if (asArray)
        {
            writer.WriteStartArray();
        }

        foreach (var outcome in outcomes)
        {
            if (!outcome.IsSilent)
            {
                Write(writer, outcome);
            }
        }

        if (asArray)
        {
            writer.WriteEndArray();
        }

        return true;
    }

    /// <summary>A success answer for a value produced by the wire itself (not by a method).</summary>
    public byte[] SerializeValue(object value, JsonElement id)
    {
        using var buffer = new PooledBufferWriter();
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            var writer = lease.Writer;
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0");
            writer.WritePropertyName("result"u8);
            JsonSerializer.Serialize(writer, value, json.ResultInfo(value.GetType()));
            WriteNullError(writer);
            WriteId(writer, id);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory.ToArray();
    }

    public byte[] SerializeError(MethodError error, JsonElement id, int? code = null, string? message = null)
    {
        using var buffer = new PooledBufferWriter();
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            var writer = lease.Writer;
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0");
            WriteError(writer, error, code, message);
            WriteId(writer, id);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory.ToArray();
    }

    private void Write(Utf8JsonWriter writer, in JsonRpcOutcome outcome)
    {
        if (outcome.Written is { } written)
        {
            writer.WriteRawValue(written, skipInputValidation: true);
            return;
        }

        var (answer, id) = (outcome.Answer, outcome.Id);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0");
        if (outcome.Invalid is { } invalid)
        {
            WriteError(writer, invalid, ErrorTable.InvalidRequestCode, "Invalid Request");
        }
        else if (answer.Error is { } error)
        {
            WriteError(writer, error, code: null, message: null);
        }
        else
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

            WriteNullError(writer);
        }

        WriteId(writer, id);
        writer.WriteEndObject();
    }

    private void WriteNullError(Utf8JsonWriter writer)
    {
        if (_writesBothMembers)
        {
            writer.WriteNull("error"u8);
        }
    }

    private void WriteError(Utf8JsonWriter writer, MethodError error, int? code, string? message)
    {
        if (_writesBothMembers)
        {
            writer.WriteNull("result"u8);
        }

        var mapped = ErrorTable.ToJsonRpc(error);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, code ?? mapped.Code);
        writer.WriteString("message"u8, message ?? mapped.Message);
        if (mapped.Data is { } data)
        {
            writer.WritePropertyName("data"u8);
            JsonSerializer.Serialize(writer, data, json.ResultInfo(data.GetType()));
        }

        writer.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter writer, JsonElement id)
    {
        writer.WritePropertyName("id"u8);
        if (id.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            id.WriteTo(writer);
        }
    }
}
