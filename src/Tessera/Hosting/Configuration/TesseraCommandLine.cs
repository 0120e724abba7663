namespace Tessera.Hosting.Configuration;

/// <summary>The command line split into Tessera's settings and the arguments left for ASP.NET Core.</summary>
internal sealed record ParsedCommandLine(
    IReadOnlyDictionary<string, string?> Settings,
    string? ConfigFile,
    bool WantsHelp,
    string[] Remaining,
    IReadOnlyList<string> Problems);

/// <summary>
/// Reads Toto-style arguments: <c>--port=8888</c>, <c>--port 8888</c>, and <c>--flag</c> for true. ASP.NET Core's own
/// host settings (<c>--urls</c>, <c>--environment</c>) and configuration paths (<c>--Logging:LogLevel:Default=Debug</c>)
/// are passed on untouched; any other name is a mistake, reported with the closest option's name, and so is a value
/// the option's type cannot take.
/// </summary>
internal static class TesseraCommandLine
{
    /// <summary>The host settings ASP.NET Core reads from the command line.</summary>
    private static readonly string[] HostSettings =
    [
        "urls", "environment", "contentRoot", "applicationName", "webroot", "http_ports", "https_ports",
        "hostingStartupAssemblies", "hostingStartupExcludeAssemblies", "preventHostingStartup", "detailedErrors",
        "shutdownTimeoutSeconds", "suppressStatusMessages", "captureStartupErrors", "startupAssembly",
    ];

    public static ParsedCommandLine Parse(string[] args, OptionCatalog catalog)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var remaining = new List<string>();
        var problems = new List<string>();
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
                if (!IsForAspNetCore(name))
                {
                    problems.Add(Unknown(name, catalog));
                }

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
                if (OptionCatalog.CheckValue(option, value) is { } problem)
                {
                    problems.Add(problem);
                }
            }
        }

        return new ParsedCommandLine(settings, configFile, wantsHelp, [.. remaining], problems);
    }

    private static bool IsForAspNetCore(string name) =>
        name.Contains(':', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal)
        || HostSettings.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static string Unknown(string name, OptionCatalog catalog)
    {
        var candidates = catalog.Options.Select(o => o.Name).Concat(HostSettings).Append("config").Append("help");
        var closest = candidates.MinBy(candidate => Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant()))!;
        var suggestion = Distance(name.ToLowerInvariant(), closest.ToLowerInvariant()) <= Math.Max(2, name.Length / 3)
            ? $"; did you mean --{closest}?"
            : "; --help lists every option.";
        return $"unknown option --{name}{suggestion}";
    }

    /// <summary>The edit distance between two names (insertions, deletions, substitutions).</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
