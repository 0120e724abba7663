using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Dispatch.Binding;

/// <summary>
/// Reads JSON booleans and the strings query strings and forms carry (<c>true</c>, <c>false</c>, <c>1</c>, <c>0</c>).
/// Numbers get the same leniency from <see cref="JsonNumberHandling.AllowReadingFromString"/>.
/// </summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String:
                if (reader.ValueTextEquals("true"u8) || reader.ValueTextEquals("True"u8) || reader.ValueTextEquals("1"u8))
                {
                    return true;
                }

                if (reader.ValueTextEquals("false"u8) || reader.ValueTextEquals("False"u8) || reader.ValueTextEquals("0"u8))
                {
                    return false;
                }

                break;
        }

        throw new JsonException("Expected a boolean.");
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
        writer.WriteBooleanValue(value);
}
