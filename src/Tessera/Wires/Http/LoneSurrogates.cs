using System.Text.Json;

namespace Tessera.Wires.Http;

/// <summary>
/// Finds <c>\ud800</c>-style escapes that name half of a surrogate pair. System.Text.Json parses such a text, then throws
/// an InvalidOperationException (not a JsonException) the moment a string holding one is read as .NET text: a method
/// name, a parameter, or a member name while checking for duplicates. Refusing them as malformed JSON up front keeps
/// every later read safe. Bodies without a <c>\u</c> escape (nearly all) cost one vectorized search.
/// </summary>
internal static class LoneSurrogates
{
    public static bool Present(ReadOnlySpan<byte> json, int maxDepth)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    try
                    {
                        reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        return true;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the parser that follows says where.
        }

        return false;
    }
}
