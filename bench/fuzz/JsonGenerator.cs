using System.Globalization;
using System.Text;

namespace Tessera.Fuzz;

/// <summary>Random JSON: every kind of value, odd numbers and strings, nesting from flat to past the depth limit.</summary>
internal sealed class JsonGenerator(Random random)
{
    private static readonly string[] Keys = ["method", "parameters", "params", "batch", "jsonrpc", "id", "a", "b", "name", "numbers", "tags", "ratio", "flag", "when", "__proto__", "", "é", "\\u0000"];

    private static readonly string[] Numbers = ["0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "1e308", "1e309", "-1e309", "1.5", "0.1e-400", "123456789012345678901234567890", "1E2", "3.4028235e38"];

    private static readonly string[] Strings = ["", "x", "ünïcödé", "\\u0000", "\\ud800", "\\udc00\\ud800", "2026-11-30T01:02:03Z", "not a date", "00000000-0000-0000-0000-000000000000",
        "true", "1", "NaN", "Infinity", "<script>", "'; DROP TABLE x; --", "%00", "\\\"", "a.b", "math.add", "greeting.hello"];

    public string Value(int maxDepth)
    {
        var builder = new StringBuilder();
        Write(builder, maxDepth);
        return builder.ToString();
    }

    /// <summary>A request-shaped object: a method name and parameters that are sometimes right and often not.</summary>
    public string Envelope(string[] methods, string methodKey, string parametersKey)
    {
        var builder = new StringBuilder("{");
        builder.Append('"').Append(methodKey).Append("\":\"").Append(methods[random.Next(methods.Length)]).Append("\",\"").Append(parametersKey).Append("\":");
        Write(builder, random.Next(1, 6));
        return builder.Append('}').ToString();
    }

    private void Write(StringBuilder builder, int depth)
    {
        var kind = depth <= 0 ? random.Next(4) : random.Next(7);
        switch (kind)
        {
            case 0:
                builder.Append(Numbers[random.Next(Numbers.Length)]);
                break;
            case 1:
                builder.Append('"').Append(Strings[random.Next(Strings.Length)]).Append('"');
                break;
            case 2:
                builder.Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" });
                break;
            case 3:
                builder.Append(random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture));
                break;
            case 4 or 5:
                builder.Append('{');
                var members = random.Next(5);
                for (var i = 0; i < members; i++)
                {
                    builder.Append(i > 0 ? "," : string.Empty).Append('"').Append(Keys[random.Next(Keys.Length)]).Append("\":");
                    Write(builder, depth - 1);
                }

                builder.Append('}');
                break;
            default:
                if (random.Next(20) == 0)
                {
                    // Deep nesting, past max_json_depth (64) about half the time.
                    var nesting = random.Next(40, 100);
                    builder.Append('[', nesting).Append('1').Append(']', nesting);
                    break;
                }

                builder.Append('[');
                var items = random.Next(5);
                for (var i = 0; i < items; i++)
                {
                    builder.Append(i > 0 ? "," : string.Empty);
                    Write(builder, depth - 1);
                }

                builder.Append(']');
                break;
        }
    }
}
