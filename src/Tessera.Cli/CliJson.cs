using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tessera.Cli;

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>Indented, and non-ASCII text kept readable (a terminal shows it; the wire escapes it).</summary>
    public static JsonSerializerOptions Pretty { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonElement value) => JsonSerializer.Serialize(value, Pretty);

    public static string Write(JsonNode? value) => value?.ToJsonString(Pretty) ?? "null";
}
