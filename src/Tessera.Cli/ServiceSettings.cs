using System.ComponentModel;
using Spectre.Console.Cli;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>What every command that talks to a service takes: its URL, and how to print.</summary>
internal class ServiceSettings : CommandSettings
{
    [CommandArgument(0, "<URL>")]
    [Description("The service, e.g. http://127.0.0.1:8888 (with its root if it has one).")]
    public string Url { get; init; } = "";

    [CommandOption("--output <FORMAT>")]
    [Description("text (default) or json: the raw JSON, for scripts.")]
    [DefaultValue("text")]
    public string Output { get; init; } = "text";

    public bool Json => string.Equals(Output, "json", StringComparison.OrdinalIgnoreCase);

    public Uri Service => Uri.TryCreate(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        ? uri
        : throw new UsageException($"'{Url}' is not an http:// or https:// URL.");

    /// <summary>A client of the service carrying the session 'tessera login' kept for it, if any.</summary>
    public TesseraClient Client(TesseraWire wire = TesseraWire.JsonRpc)
    {
        var profile = Profiles.Load(Service);
        var client = new TesseraClient(new TesseraClientOptions
        {
            BaseAddress = Service,
            Wire = wire,
            Signing = profile?.Signing ?? TesseraSigning.None,
            ApiToken = Environment.GetEnvironmentVariable("TESSERA_API_TOKEN"),
        });
        if (profile is not null)
        {
            client.Session = new SessionState(profile.SessionId, profile.UserId, profile.Key, null);
        }

        return client;
    }
}
