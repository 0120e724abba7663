using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Tessera.Client;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera login URL USER</c>: signs in and keeps the session (and its signing key) for later commands.</summary>
internal sealed class LoginCommand : AsyncCommand<LoginCommand.Settings>
{
    public sealed class Settings : ServiceSettings
    {
        [CommandArgument(1, "<USER>")]
        [Description("The user id.")]
        public string User { get; init; } = "";

        [CommandOption("--password-stdin")]
        [Description("Read the password from standard input (for scripts); otherwise it is asked for, or read from TESSERA_PASSWORD.")]
        public bool PasswordFromInput { get; init; }

        [CommandOption("--totp <CODE>")]
        [Description("The current two-factor code, for accounts that use one.")]
        public string? Totp { get; init; }

        [CommandOption("--signing <MODE>")]
        [Description("none (default), legacy, toto or signed: the service's hmac mode.")]
        [DefaultValue("none")]
        public string Signing { get; init; } = "none";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var password = settings.PasswordFromInput
            ? (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n')
            : Environment.GetEnvironmentVariable("TESSERA_PASSWORD") is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : !Console.IsInputRedirected
                    ? await AnsiConsole.PromptAsync(new TextPrompt<string>($"password for {settings.User}:").Secret(), cancellationToken)
                    : null;
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("no password: give it at the prompt, with --password-stdin, or in TESSERA_PASSWORD.");
        }

        var signing = settings.Signing switch
        {
            "none" => TesseraSigning.None,
            "legacy" => TesseraSigning.Legacy,
            "toto" => TesseraSigning.Toto,
            "signed" => TesseraSigning.Signed,
            _ => throw new UsageException($"--signing {settings.Signing}: use none, legacy, toto or signed."),
        };
        await using var client = new TesseraClient(new TesseraClientOptions { BaseAddress = settings.Service, Signing = signing });
        var session = await client.Accounts.LoginAsync(settings.User, password, settings.Totp, cancellationToken);
        var kept = client.Session!;
        Profiles.Save(settings.Service, new Profile(kept.Id, kept.UserId, kept.Key, signing));
        Console.WriteLine($"signed in as {session.UserId}; the session is kept in {Profiles.FilePath}");
        return 0;
    }
}
