using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Tessera.Cli.Deploy;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera deploy systemd NAME</c>: writes <c>NAME@.service</c>, a template unit with one instance per port.</summary>
internal sealed class DeploySystemdCommand : AsyncCommand<DeploySystemdCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The service's name: the unit is NAME@.service.")]
        public string Name { get; init; } = string.Empty;

        [CommandOption("--exec <PATH>")]
        [Description("The published program (default /opt/NAME/NAME, as `dotnet publish -o /opt/NAME` leaves it).")]
        public string? Exec { get; init; }

        [CommandOption("--user <USER>")]
        [Description("The dedicated system user the service runs as (default: NAME).")]
        public string? User { get; init; }

        [CommandOption("--data-dir <DIR>")]
        [Description("The data directory (default /var/lib/NAME): database file, keys.")]
        public string? DataDir { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Where to write the unit (default: the current folder).")]
        [DefaultValue(".")]
        public string Directory { get; init; } = ".";

        public override ValidationResult Validate() => DeployNames.IsValid(Name)
            ? ValidationResult.Success()
            : ValidationResult.Error($"'{Name}' is not a usable service name: letters, digits, '-' and '_' only.");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var exec = settings.Exec ?? $"/opt/{settings.Name}/{settings.Name}";
        var unit = SystemdUnitWriter.Write(
            settings.Name,
            exec,
            settings.User ?? settings.Name,
            Path.GetDirectoryName(exec) ?? "/",
            settings.DataDir ?? $"/var/lib/{settings.Name}");
        System.IO.Directory.CreateDirectory(settings.Directory);
        var path = Path.Combine(settings.Directory, $"{settings.Name}@.service");
        await File.WriteAllTextAsync(path, unit, cancellationToken);
        Console.WriteLine($"wrote {path}: systemctl enable --now {settings.Name}@8881 {settings.Name}@8882 runs two instances.");
        return 0;
    }
}
