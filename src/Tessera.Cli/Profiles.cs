using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>
/// Sessions kept by <c>tessera login</c>, one per service URL, in <c>$XDG_CONFIG_HOME/tessera/sessions.json</c>
/// (<c>~/.config/tessera</c> by default), a file only its owner can read or write: a session id is a credential.
/// </summary>
internal static class Profiles
{
    public static string FilePath
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } config
                ? config
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(root, "tessera", "sessions.json");
        }
    }

    public static Profile? Load(Uri service) => ReadAll().GetValueOrDefault(service.AbsoluteUri);

    public static void Save(Uri service, Profile? profile)
    {
        var all = ReadAll();
        if (profile is null)
        {
            all.Remove(service.AbsoluteUri);
        }
        else
        {
            all[service.AbsoluteUri] = profile;
        }

        var path = FilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        // Created with owner-only permissions before anything is written into it, then moved over the old file.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(file, all, ProfileJson.Default.DictionaryStringProfile);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static Dictionary<string, Profile> ReadAll()
    {
        var path = FilePath;
        if (!File.Exists(path))
        {
            return [];
        }

        using var file = File.OpenRead(path);
        return JsonSerializer.Deserialize(file, ProfileJson.Default.DictionaryStringProfile) ?? [];
    }
}

internal sealed record Profile(string SessionId, string? UserId, string? Key, TesseraSigning Signing);

[JsonSerializable(typeof(Dictionary<string, Profile>))]
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
internal sealed partial class ProfileJson : JsonSerializerContext;
