using System.ComponentModel;
using System.Text.Json;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera batch URL FILE</c>: the calls of a JSON file in one round trip, one line of output each.</summary>
internal sealed class BatchCommand : AsyncCommand<BatchCommand.Settings>
{
    public sealed class Settings : ServiceSettings
    {
        [CommandArgument(1, "<FILE>")]
        [Description("A JSON array of {\"method\": ..., \"params\": {...}} (or - for standard input).")]
        public string File { get; init; } = "";
    }

    /// <summary>What a lone <c>-</c> on the command line becomes (Program.cs): no path can hold a NUL character.</summary>
    public const string StandardInput = "\0stdin";

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var text = await ReadAsync(settings.File, cancellationToken);
        JsonElement calls;
        try
        {
            using var document = JsonDocument.Parse(text);
            calls = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new UsageException($"{Name(settings.File)} is not JSON: {exception.Message}");
        }

        if (calls.ValueKind != JsonValueKind.Array || calls.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("method", out _)))
        {
            throw new UsageException($"{Name(settings.File)} must hold an array of {{\"method\": ..., \"params\": ...}} objects.");
        }

        await using var client = settings.Client();
        var batch = client.CreateBatch();
        var entries = calls.EnumerateArray().Select(call =>
        {
            var parameters = client.CreateParameters();
            if (call.TryGetProperty("params", out var given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in given.EnumerateObject())
                {
                    parameters.Add(property.Name, property.Value);
                }
            }
            else if (given.ValueKind == JsonValueKind.Array)
            {
                foreach (var value in given.EnumerateArray())
                {
                    parameters.AddPositional(value);
                }
            }

            var method = call.GetProperty("method").GetString()!;
            return (Method: method, Entry: batch.Add<JsonElement>(method, parameters));
        }).ToList();
        await batch.SendAsync(cancellationToken);

        var failed = 0;
        foreach (var (method, entry) in entries)
        {
            if (entry.Succeeded)
            {
                Console.WriteLine(settings.Json
                    ? JsonSerializer.Serialize(entry.Value, CliJson.Default.JsonElement)
                    : $"{method}: {(entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : entry.Value.GetRawText())}");
            }
            else
            {
                failed++;
                var error = entry.Error;
                Console.WriteLine(settings.Json
                    ? $"{{\"error\":{{\"code\":{error?.Code ?? 0},\"message\":{JsonSerializer.Serialize(error?.Message ?? "no answer", CliJson.Default.String)}}}}}"
                    : $"{method}: error {error?.Code}: {error?.Message}");
            }
        }

        return failed == 0 ? 0 : Failures.MethodError;
    }

    private static async Task<string> ReadAsync(string file, CancellationToken cancellationToken)
    {
        if (file == StandardInput)
        {
            return await Console.In.ReadToEndAsync(cancellationToken);
        }

        try
        {
            return await System.IO.File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {file}: {exception.Message}");
        }
    }

    private static string Name(string file) => file == StandardInput ? "standard input" : file;
}
