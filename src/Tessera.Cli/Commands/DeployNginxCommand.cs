using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tessera.Cli.Deploy;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera deploy nginx NAME --ports A-B</c>: writes <c>NAME.conf</c>, an nginx site in front of the instances.</summary>
internal sealed class DeployNginxCommand : AsyncCommand<DeployNginxCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("The service's name: the file is NAME.conf and its upstream NAME.")]
        public string Name { get; init; } = string.Empty;

        [CommandOption("--ports <A-B>")]
        [Description("The instances' ports, e.g. 8881-8884 (as --start --processes=4 --port=8881 or systemd NAME@PORT leave them).")]
        public string Ports { get; init; } = string.Empty;

        [CommandOption("--server-name <NAME>")]
        [Description("nginx server_name (default _ : any host).")]
        [DefaultValue("_")]
        public string ServerName { get; init; } = "_";

        [CommandOption("--listen <ADDRESS>")]
        [Description("What nginx listens on: a port or address:port (default 80, or 443 with a certificate).")]
        public string? Listen { get; init; }

        [CommandOption("--tls-cert <FILE>")]
        [Description("Serve HTTPS with this certificate (PEM); HTTP on 80 then redirects.")]
        public string? TlsCertificate { get; init; }

        [CommandOption("--tls-key <FILE>")]
        [Description("The certificate's private key (PEM).")]
        public string? TlsKey { get; init; }

        [CommandOption("--root <PATH>")]
        [Description("The services' --root, when not /.")]
        [DefaultValue("/")]
        public string Root { get; init; } = "/";

        [CommandOption("-o|--out <DIR>")]
        [Description("Where to write the file (default: the current folder).")]
        [DefaultValue(".")]
        public string Directory { get; init; } = ".";

        public override ValidationResult Validate()
        {
            if (!DeployNames.IsValid(Name))
            {
                return ValidationResult.Error($"'{Name}' is not a usable service name: letters, digits, '-' and '_' only.");
            }

            if (ParsePorts(Ports) is null)
            {
                return ValidationResult.Error($"--ports '{Ports}': give a range such as 8881-8884.");
            }

            return (TlsCertificate is null) == (TlsKey is null)
                ? ValidationResult.Success()
                : ValidationResult.Error("--tls-cert and --tls-key go together.");
        }
    }

    public static (int First, int Last)? ParsePorts(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || first is < 1 or > 65535 || last < first || last > 65535)
        {
            return null;
        }

        return (first, last);
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (first, last) = ParsePorts(settings.Ports)!.Value;
        var listen = settings.Listen ?? (settings.TlsCertificate is null ? "80" : "443");
        var config = NginxConfigWriter.Write(settings.Name, first, last, settings.ServerName, listen, settings.TlsCertificate, settings.TlsKey, settings.Root);
        System.IO.Directory.CreateDirectory(settings.Directory);
        var path = Path.Combine(settings.Directory, $"{settings.Name}.conf");
        await File.WriteAllTextAsync(path, config, cancellationToken);
        Console.WriteLine($"wrote {path}: {last - first + 1} instances on ports {first}-{last}; nginx -t && systemctl reload nginx");
        return 0;
    }
}
