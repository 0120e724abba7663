namespace Tessera.Cli.Deploy;

/// <summary>Names that can become a unit, a user, a file and an nginx upstream without quoting.</summary>
internal static class DeployNames
{
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
