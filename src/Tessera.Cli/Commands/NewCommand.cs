using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera new NAME [--chat] [-o DIR]</c>: <c>dotnet new tessera</c> (or <c>tessera-chat</c>) under another name.
/// When the template pack is not installed, it installs the Tessera.Templates of this tool's own version first.
/// </summary>
internal sealed class NewCommand : AsyncCommand<NewCommand.Settings>
{
    /// <summary>What <c>dotnet new</c> exits with when no installed template has the short name.</summary>
    private const int TemplateNotFound = 103;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The project's name (a C# namespace: Acme.Orders).")]
        public string Name { get; init; } = string.Empty;

        [CommandOption("--chat")]
        [Description("The chat template: accounts, events and a page (dotnet new tessera-chat).")]
        public bool Chat { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Where to create it (default: ./NAME).")]
        public string? Directory { get; init; }

        public override ValidationResult Validate() =>
            Name.Length > 0 && Name.Split('.').All(part => part.Length > 0 && (char.IsAsciiLetter(part[0]) || part[0] == '_') && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                ? ValidationResult.Success()
                : ValidationResult.Error($"'{Name}' is not a usable project name: letters, digits and '_', in dot-separated parts (Acme.Orders).");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var template = settings.Chat ? "tessera-chat" : "tessera";
        string[] arguments = ["new", template, "-n", settings.Name, "-o", settings.Directory ?? settings.Name];
        var exitCode = await DotnetAsync(arguments, cancellationToken);
        if (exitCode == TemplateNotFound)
        {
            Console.WriteLine($"Installing the Tessera templates {Version} (dotnet new install Tessera.Templates::{Version}) ...");
            var installed = await DotnetAsync(["new", "install", $"Tessera.Templates::{Version}"], cancellationToken);
            exitCode = installed == 0 ? await DotnetAsync(arguments, cancellationToken) : installed;
        }

        if (exitCode == 0)
        {
            Console.WriteLine($"cd {settings.Directory ?? settings.Name} && dotnet test && dotnet run --project src/{settings.Name}");
        }

        return exitCode;
    }

    /// <summary>This tool's package version, which the templates it installs must match.</summary>
    private static string Version =>
        (typeof(NewCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0").Split('+')[0];

    private static async Task<int> DotnetAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }
}
