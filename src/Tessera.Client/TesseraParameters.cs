using System.Buffers;
using System.Text.Json;

namespace Tessera.Client;

/// <summary>
/// A call's parameters, written as JSON as they are added, by name (<c>{"a": 1}</c>) or by position (<c>[1]</c>). Each
/// value goes through the client's serializer metadata, so no reflection is needed: the generated proxies build their
/// calls this way. Create one with <see cref="TesseraClient.CreateParameters"/>.
/// </summary>
public sealed class TesseraParameters
{
    private readonly JsonSerializerOptions _options;
    private readonly ArrayBufferWriter<byte> _buffer = new(64);
    private readonly Utf8JsonWriter _writer;
    private bool? _named;
    private byte[]? _json;

    internal TesseraParameters(JsonSerializerOptions options)
    {
        _options = options;
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Adds a named parameter.</summary>
    public TesseraParameters Add<T>(string name, T value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Begin(named: true);
        _writer.WritePropertyName(name);
        JsonSerializer.Serialize(_writer, value, ClientJson.TypeInfo<T>(_options));
        return this;
    }

    /// <summary>Adds the next positional parameter.</summary>
    public TesseraParameters AddPositional<T>(T value)
    {
        Begin(named: false);
        JsonSerializer.Serialize(_writer, value, ClientJson.TypeInfo<T>(_options));
        return this;
    }

    /// <summary>The parameters as JSON: an object, an array, or <c>{}</c> when none were added.</summary>
    internal ReadOnlyMemory<byte> ToJson()
    {
        if (_json is null)
        {
            if (_named is null)
            {
                _json = "{}"u8.ToArray();
            }
            else
            {
                if (_named == true)
                {
                    _writer.WriteEndObject();
                }
                else
                {
                    _writer.WriteEndArray();
                }

                _writer.Flush();
                _json = _buffer.WrittenSpan.ToArray();
                _writer.Dispose();
            }
        }

        return _json;
    }

    private void Begin(bool named)
    {
        if (_json is not null)
        {
            throw new InvalidOperationException("These parameters were already sent; create new ones for another call.");
        }

        if (_named is null)
        {
            _named = named;
            if (named)
            {
                _writer.WriteStartObject();
            }
            else
            {
                _writer.WriteStartArray();
            }
        }
        else if (_named != named)
        {
            throw new InvalidOperationException("A call's parameters are either all named or all positional.");
        }
    }
}
