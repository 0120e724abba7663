using Spectre.Console;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera services URL</c>: the services and instances a registry-enabled service knows of.</summary>
internal sealed class ServicesCommand : AsyncCommand<ServiceSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServiceSettings settings, CancellationToken cancellationToken)
    {
        await using var client = settings.Client();
        var services = await client.InvokeAsync("registry.services", client.CreateParameters().ToJson(), null, cancellationToken);
        if (settings.Json)
        {
            Console.WriteLine(CliJson.Write(services));
            return 0;
        }

        var rows = services.EnumerateArray().SelectMany(service => service.GetProperty("instances").EnumerateArray().Select(instance => (
            Service: service.GetProperty("name").GetString()!,
            Url: instance.GetProperty("url").GetString()!,
            Seen: instance.GetProperty("last_seen").GetString()!,
            Methods: instance.GetProperty("methods").GetArrayLength()))).ToList();
        if (!Terminal.IsInteractive)
        {
            foreach (var row in rows)
            {
                Console.WriteLine($"{row.Service}\t{row.Url}\t{row.Methods} methods\tlast seen {row.Seen}");
            }

            return 0;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("service").AddColumn("instance").AddColumn("methods").AddColumn("last seen");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Service), Markup.Escape(row.Url), row.Methods.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(row.Seen));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
