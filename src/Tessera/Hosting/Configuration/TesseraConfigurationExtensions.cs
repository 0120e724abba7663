using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Tessera.Hosting.Configuration;

/// <summary>
/// Layers Tessera's configuration sources in precedence order: tessera.json, then <c>TESSERA__*</c> environment
/// variables, then the command line. Option names may be written in any case style in each of them.
/// </summary>
internal static class TesseraConfigurationExtensions
{
    private const string EnvironmentPrefix = "TESSERA__";

    public static void AddTesseraSources(
        this IConfigurationManager configuration,
        ParsedCommandLine commandLine,
        string contentRoot,
        OptionCatalog catalog)
    {
        var file = commandLine.ConfigFile is { } explicitFile
            ? Path.GetFullPath(explicitFile)
            : Path.Combine(contentRoot, "tessera.json");
        if (commandLine.ConfigFile is not null && !File.Exists(file))
        {
            throw new FileNotFoundException($"The configuration file '{file}' given with --config does not exist.", file);
        }

        // --data_dir defaults to the folder of a configuration file named on the command line: that is where the
        // operator keeps this instance's state. Any data_dir the file, the variables or the command line give wins.
        if (commandLine.ConfigFile is not null)
        {
            configuration.AddInMemoryCollection([new("Tessera:Storage:DataDir", Path.GetDirectoryName(file))]);
        }

        if (File.Exists(file))
        {
            configuration.AddInMemoryCollection(FromFile(file, catalog));
        }

        configuration.AddInMemoryCollection(FromEnvironment(catalog));
        configuration.AddInMemoryCollection(commandLine.Settings);
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromFile(string file, OptionCatalog catalog)
    {
        var root = new ConfigurationBuilder().AddJsonFile(file, optional: false, reloadOnChange: false).Build();
        foreach (var (key, value) in root.AsEnumerable())
        {
            if (value is null)
            {
                continue;
            }

            // Top-level option names belong to Tessera; anything else (Logging, Kestrel, ...) passes through.
            var option = key.Contains(':', StringComparison.Ordinal) ? null : catalog.Find(key);
            yield return option is null
                ? new(key, value)
                : new(option.ConfigurationKey, OptionCatalog.NormalizeValue(option, value));
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(OptionCatalog catalog)
    {
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)
                && catalog.Find(name[EnvironmentPrefix.Length..]) is { } option)
            {
                yield return new(option.ConfigurationKey, OptionCatalog.NormalizeValue(option, variable.Value as string));
            }
        }
    }
}
