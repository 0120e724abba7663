using System.ComponentModel;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera generate csharp URL -o DIR</c>: a typed client for a service whose contract is not shared as C#.</summary>
internal sealed class GenerateCSharpCommand : AsyncCommand<GenerateCSharpCommand.Settings>
{
    public sealed class Settings : GenerateSettings
    {
        [CommandOption("-n|--namespace <NAMESPACE>")]
        [Description("The namespace of the generated types (default: the service's name + .Client).")]
        public string? Namespace { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var description = await ServiceDescription.FetchAsync(settings.Service, cancellationToken);
        var ns = settings.Namespace ?? CSharpClientWriter.Pascal(description.Title) + ".Client";
        var code = new CSharpClientWriter(ns).Write(description);
        System.IO.Directory.CreateDirectory(settings.Directory);
        var path = Path.Combine(settings.Directory, CSharpClientWriter.Pascal(description.Title) + "Client.g.cs");
        await File.WriteAllTextAsync(path, code, cancellationToken);
        Console.WriteLine($"wrote {path}: {description.Methods.Count()} methods of {description.Title}; call them with client.For<I...>()");
        return 0;
    }
}
