using System.Text.Json;

namespace Tessera.Cli;

/// <summary>A service's OpenRPC document (<c>/_tessera/openrpc.json</c>), read once per command.</summary>
internal sealed class ServiceDescription(JsonElement document)
{
    public JsonElement Document { get; } = document;

    public string Title => Document.GetProperty("info").GetProperty("title").GetString() ?? "service";

    public IEnumerable<JsonElement> Methods => Document.GetProperty("methods").EnumerateArray();

    public static async Task<ServiceDescription> FetchAsync(Uri service, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri(service, "_tessera/openrpc.json"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new Tessera.Client.TesseraTransportException(
                $"{service} has no Tessera description (GET /_tessera/openrpc.json answered {(int)response.StatusCode}).", requestSent: true, (int)response.StatusCode);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return new ServiceDescription(document.RootElement.Clone());
    }

    public JsonElement Method(string name) =>
        Methods.FirstOrDefault(m => m.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new UsageException($"{Title} has no method '{name}'; 'tessera methods URL' lists them.");

    public static IEnumerable<JsonElement> Parameters(JsonElement method) => method.GetProperty("params").EnumerateArray();

    public static string Access(JsonElement method) =>
        method.TryGetProperty("x-tessera-access", out var access) ? access.GetProperty("summary").GetString() ?? "" : "";

    public static string Description(JsonElement method) =>
        method.TryGetProperty("description", out var text) ? text.GetString() ?? "" : "";

    /// <summary>A schema as a short type: <c>integer</c>, <c>string[]</c>, <c>object</c>.</summary>
    public static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "any";
        }

        var type = schema.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? string.Join("|", t.EnumerateArray().Select(x => x.GetString()).Where(x => x != "null")) : t.GetString()
            : "any";
        return type == "array" && schema.TryGetProperty("items", out var items) ? TypeOf(items) + "[]" : type ?? "any";
    }

    /// <summary>A parameter for a listing: <c>a: integer</c>, with <c>?</c> when optional.</summary>
    public static string Signature(JsonElement parameter) =>
        parameter.GetProperty("name").GetString() + (parameter.TryGetProperty("required", out var r) && r.GetBoolean() ? "" : "?")
        + ": " + TypeOf(parameter.GetProperty("schema"));
}
