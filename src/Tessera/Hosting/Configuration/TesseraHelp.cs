namespace Tessera.Hosting.Configuration;

/// <summary>Prints <c>--help</c>: every option with its default and description, taken from the options classes.</summary>
internal static class TesseraHelp
{
    public static void Write(TextWriter output, string applicationName, OptionCatalog catalog)
    {
        output.WriteLine($"Usage: {applicationName} [--option=value ...]");
        output.WriteLine();
        output.WriteLine("Options (lowest precedence first: code, tessera.json, TESSERA__<OPTION> variables, the command line):");
        var rows = catalog.Options
            .Select(o => ($"--{o.Name}={o.DefaultText}", o.Description))
            .Append(("--config=PATH", "Read options from this JSON file instead of tessera.json in the content root."))
            .Append(("--help", "Print this help and exit."))
            .ToList();
        var width = rows.Max(row => row.Item1.Length) + 2;
        foreach (var (usage, description) in rows)
        {
            output.WriteLine($"  {usage.PadRight(width)}{description}");
        }

        output.WriteLine();
        output.WriteLine("Other arguments (--urls, --environment, ...) are passed to ASP.NET Core.");
    }
}
