using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera generate ts URL -o DIR</c>: a typed TypeScript client (one file, no dependency).</summary>
internal sealed class GenerateTypeScriptCommand : AsyncCommand<GenerateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        var description = await ServiceDescription.FetchAsync(settings.Service, cancellationToken);
        var code = new TypeScriptClientWriter().Write(description);
        System.IO.Directory.CreateDirectory(settings.Directory);
        var file = char.ToLowerInvariant(description.Title[0]) + CSharpClientWriter.Pascal(description.Title)[1..] + "Client.ts";
        var path = Path.Combine(settings.Directory, file);
        await File.WriteAllTextAsync(path, code, cancellationToken);
        Console.WriteLine($"wrote {path}: {description.Methods.Count()} methods of {description.Title}; createClient(jsonRpc(URL)).math.add(...)");
        return 0;
    }
}
