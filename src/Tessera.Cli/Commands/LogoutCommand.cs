using Spectre.Console.Cli;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera logout URL</c>: ends the kept session on the service and forgets it.</summary>
internal sealed class LogoutCommand : AsyncCommand<ServiceSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServiceSettings settings, CancellationToken cancellationToken)
    {
        if (Profiles.Load(settings.Service) is null)
        {
            Console.WriteLine("not signed in");
            return 0;
        }

        try
        {
            await using var client = settings.Client();
            await client.Accounts.LogoutAsync(cancellationToken);
        }
        finally
        {
            Profiles.Save(settings.Service, null);
        }

        Console.WriteLine("signed out");
        return 0;
    }
}
