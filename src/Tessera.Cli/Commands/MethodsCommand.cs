using Spectre.Console;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera methods URL</c>: every method with its parameters and access rule.</summary>
internal sealed class MethodsCommand : AsyncCommand<ServiceSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServiceSettings settings, CancellationToken cancellationToken)
    {
        var description = await ServiceDescription.FetchAsync(settings.Service, cancellationToken);
        if (settings.Json)
        {
            Console.WriteLine(CliJson.Write(description.Document.GetProperty("methods")));
            return 0;
        }

        var rows = description.Methods.Select(method => (
            Name: method.GetProperty("name").GetString()!,
            Parameters: string.Join(", ", ServiceDescription.Parameters(method).Select(ServiceDescription.Signature)),
            Access: ServiceDescription.Access(method),
            About: ServiceDescription.Description(method))).ToList();
        if (!Terminal.IsInteractive)
        {
            foreach (var row in rows)
            {
                Console.WriteLine($"{row.Name}({row.Parameters})\t{row.Access}\t{row.About}");
            }

            return 0;
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(description.Title)}[/]")
            .AddColumn("method").AddColumn("parameters").AddColumn("access").AddColumn("description");
        foreach (var row in rows)
        {
            table.AddRow(new Markup($"[green]{Markup.Escape(row.Name)}[/]"), new Text(row.Parameters), new Text(row.Access), new Text(row.About));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
