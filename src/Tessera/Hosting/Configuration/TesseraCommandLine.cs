namespace Tessera.Hosting.Configuration;

/// <summary>The command line split into Tessera's settings and the arguments left for ASP.NET Core.</summary>
internal sealed record ParsedCommandLine(
    IReadOnlyDictionary<string, string?> Settings,
    string? ConfigFile,
    bool WantsHelp,
    string[] Remaining);

/// <summary>
/// Reads Toto-style arguments: <c>--port=8888</c>, <c>--port 8888</c>, and <c>--flag</c> for true. Arguments that
/// name no Tessera option (<c>--urls</c>, <c>--environment</c>) are passed on to ASP.NET Core untouched.
/// </summary>
internal static class TesseraCommandLine
{
    public static ParsedCommandLine Parse(string[] args, OptionCatalog catalog)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var remaining = new List<string>();
        string? configFile = null;
        var wantsHelp = false;
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            if (argument is "--help" or "-h" or "-?" or "/?")
            {
                wantsHelp = true;
                continue;
            }

            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                remaining.Add(argument);
                continue;
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? argument[2..] : argument[2..equals];
            var option = catalog.Find(name);
            var isConfig = name.Equals("config", StringComparison.OrdinalIgnoreCase);
            if (option is null && !isConfig)
            {
                remaining.Add(argument);
                continue;
            }

            string? value;
            if (equals >= 0)
            {
                value = argument[(equals + 1)..];
            }
            else if (option?.Type != typeof(bool) && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                value = "true";
            }

            if (isConfig)
            {
                configFile = value;
            }
            else
            {
                settings[option!.ConfigurationKey] = OptionCatalog.NormalizeValue(option, value);
            }
        }

        return new ParsedCommandLine(settings, configFile, wantsHelp, [.. remaining]);
    }
}
