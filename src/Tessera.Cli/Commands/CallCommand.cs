using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console.Cli;
using Tessera.Client;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera call URL METHOD a=40 b=2</c>: one call, its result printed (gemstone's <c>call</c> and
/// <c>call_raw</c>: <c>--json</c> takes the raw parameters, <c>--output json</c> prints the raw result).</summary>
internal sealed class CallCommand : AsyncCommand<CallCommand.Settings>
{
    public sealed class Settings : ServiceSettings
    {
        [CommandArgument(1, "<METHOD>")]
        [Description("The method, e.g. math.add.")]
        public string Method { get; init; } = "";

        [CommandArgument(2, "[ARGUMENTS]")]
        [Description("name=value pairs (or bare values in parameter order), converted by the method's schema.")]
        public string[] Arguments { get; init; } = [];

        [CommandOption("--json <PARAMETERS>")]
        [Description("The parameters as one JSON object (or array), sent as given.")]
        public string? Parameters { get; init; }

        [CommandOption("--wire <WIRE>")]
        [Description("jsonrpc (default), toto, xmlrpc or websocket.")]
        [DefaultValue("jsonrpc")]
        public string Wire { get; init; } = "jsonrpc";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var parameters = await ParametersAsync(settings, cancellationToken);
        JsonNode? result;
        if (settings.Wire == "xmlrpc")
        {
            var method = (await ServiceDescription.FetchAsync(settings.Service, cancellationToken)).Method(settings.Method);
            IEnumerable<JsonNode?> positional = parameters is JsonArray array
                ? array.Select(v => v?.DeepClone())
                : ServiceDescription.Parameters(method).Select(p => p.GetProperty("name").GetString()!)
                    .TakeWhile(name => parameters!.AsObject().ContainsKey(name)).Select(name => parameters![name]?.DeepClone());
            result = await XmlRpcCall.CallAsync(settings.Service, settings.Method, positional, cancellationToken);
        }
        else
        {
            var wire = settings.Wire switch
            {
                "jsonrpc" => TesseraWire.JsonRpc,
                "toto" => TesseraWire.Toto,
                "websocket" => TesseraWire.WebSocket,
                _ => throw new UsageException($"--wire {settings.Wire}: use jsonrpc, toto, xmlrpc or websocket."),
            };
            await using var client = settings.Client(wire);
            var element = JsonSerializer.SerializeToElement(parameters, CliJson.Default.JsonNode);
            result = JsonNode.Parse((await client.InvokeAsync(settings.Method, JsonSerializer.SerializeToUtf8Bytes(element, CliJson.Default.JsonElement), null, cancellationToken)).GetRawText());
        }

        Print(result, settings.Json);
        return 0;
    }

    public static void Print(JsonNode? result, bool json)
    {
        // A text result prints as the text itself, unless the raw JSON was asked for.
        Console.WriteLine(!json && result is JsonValue value && value.TryGetValue<string>(out var text) ? text : CliJson.Write(result));
    }

    private static async Task<JsonNode?> ParametersAsync(Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Parameters is { } raw)
        {
            try
            {
                return JsonNode.Parse(raw) is JsonObject or JsonArray ? JsonNode.Parse(raw) : throw new UsageException("--json takes an object or an array.");
            }
            catch (JsonException exception)
            {
                throw new UsageException("--json is not JSON: " + exception.Message);
            }
        }

        if (settings.Arguments.Length == 0)
        {
            return new JsonObject();
        }

        var method = (await ServiceDescription.FetchAsync(settings.Service, cancellationToken)).Method(settings.Method);
        return ArgumentConverter.Convert(method, settings.Arguments);
    }
}
