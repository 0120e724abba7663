using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera describe URL METHOD</c>: one method in full.</summary>
internal sealed class DescribeCommand : AsyncCommand<DescribeCommand.Settings>
{
    public sealed class Settings : ServiceSettings
    {
        [CommandArgument(1, "<METHOD>")]
        [Description("The method, e.g. math.add.")]
        public string Method { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var method = (await ServiceDescription.FetchAsync(settings.Service, cancellationToken)).Method(settings.Method);
        if (settings.Json)
        {
            Console.WriteLine(CliJson.Write(method));
            return 0;
        }

        var lines = new List<string> { settings.Method };
        if (ServiceDescription.Description(method) is { Length: > 0 } about)
        {
            lines.Add("  " + about);
        }

        lines.Add("access: " + ServiceDescription.Access(method));
        lines.Add("parameters:");
        foreach (var parameter in ServiceDescription.Parameters(method))
        {
            var rules = Rules(parameter.GetProperty("schema"));
            var text = parameter.TryGetProperty("description", out var d) ? "  " + d.GetString() : "";
            lines.Add($"  {ServiceDescription.Signature(parameter)}{(rules.Length > 0 ? " (" + rules + ")" : "")}{text}");
        }

        lines.Add("result: " + ServiceDescription.TypeOf(method.GetProperty("result").GetProperty("schema")));
        if (method.TryGetProperty("errors", out var errors))
        {
            lines.Add("errors:");
            lines.AddRange(errors.EnumerateArray().Select(e => $"  {e.GetProperty("code").GetInt32()} {e.GetProperty("message").GetString()}"));
        }

        foreach (var line in lines)
        {
            if (Terminal.IsInteractive && line == settings.Method)
            {
                AnsiConsole.MarkupLine($"[bold green]{Markup.Escape(line)}[/]");
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        return 0;
    }

    private static string Rules(JsonElement schema)
    {
        string[] keywords = ["minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "pattern", "format"];
        return schema.ValueKind != JsonValueKind.Object
            ? ""
            : string.Join(", ", keywords.Where(k => schema.TryGetProperty(k, out _)).Select(k => $"{k} {schema.GetProperty(k)}"));
    }
}
