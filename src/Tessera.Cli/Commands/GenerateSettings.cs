using System.ComponentModel;
using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary>What every <c>tessera generate</c> command takes: the service, and where to write.</summary>
internal class GenerateSettings : ServiceSettings
{
    // -o DIR, as the issue and users of code generators expect; the output format is --output (long form only).
    [CommandOption("-o|--out <DIR>")]
    [Description("Where to write the file (default: the current folder).")]
    [DefaultValue(".")]
    public string Directory { get; init; } = ".";
}
