using System.Text.RegularExpressions;

namespace Tessera.Tests;

/// <summary>
/// The layers of src/Tessera, as docs/architecture.md draws them: every reference points down. The check reads the
/// sources: each folder's declared type names, then each file's identifiers, so a type that moved into the wrong
/// folder, or a call upwards, fails here with the file and the name.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>Top to bottom; a folder may use folders of a higher rank number only.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Hosting"] = 0,
        ["Wires"] = 1,
        ["Discovery"] = 1,
        ["Dispatch"] = 2,
        ["Auth"] = 3,
        ["Events"] = 3,
        ["Stores"] = 4,
        ["Errors"] = 5,
        ["Observability"] = 5,
        ["Buffers"] = 5,
        ["Serialization"] = 5,
        ["Threading"] = 5,
    };

    /// <summary>Known exceptions, each with its reason; an entry that no longer occurs fails the test too.</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["Events/EventBus.cs -> Dispatch.TesseraJson"] =
            "event payloads are serialized with the results' options (naming, ASCII output) so events and answers agree; " +
            "TesseraJson should move to a shared serialization layer below both",
    };

    [Fact]
    public void EveryReference_PointsDownTheLayers()
    {
        var root = Path.Combine(ExternalTool.RepositoryRoot, "src", "Tessera");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path: Path.GetRelativePath(root, f).Replace('\\', '/'), Text: File.ReadAllText(f)))
            .ToList();
        Assert.All(files, f => Assert.True(Layers.ContainsKey(Folder(f.Path)), $"{f.Path} is in no layer: add its folder to docs/architecture.md and this test"));

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            foreach (Match declared in Declaration().Matches(text))
            {
                owners.TryAdd(declared.Groups[1].Value, Folder(path));
            }
        }

        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            var folder = Folder(path);
            var code = StringLiteral().Replace(LineComment().Replace(text, string.Empty), "\"\"");
            foreach (var name in Identifier().Matches(code).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            {
                if (owners.TryGetValue(name, out var owner) && owner != folder && Layers[owner] <= Layers[folder])
                {
                    found.Add($"{path} -> {owner}.{name}");
                }
            }
        }

        var upwards = found.Where(f => !Allowed.ContainsKey(f)).Order(StringComparer.Ordinal).ToList();
        var stale = Allowed.Keys.Where(a => !found.Contains(a)).ToList();
        Assert.True(upwards.Count == 0, "references that point up or sideways:\n" + string.Join('\n', upwards));
        Assert.True(stale.Count == 0, "exceptions that no longer occur (remove them):\n" + string.Join('\n', stale));
    }

    private static string Folder(string path) => path.Split('/')[0];

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum|delegate\s+\S+)\s+([A-Z]\w*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"""(?:\\.|[^""\\])*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
