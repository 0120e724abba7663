using Spectre.Console;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>One clear line on standard error for every way a command can fail, and the exit code that goes with it.</summary>
internal static class Failures
{
    public const int MethodError = 1;
    public const int Unreachable = 2;
    public const int Usage = 3;

    private const int BadSignature = 1008;

    public static int Report(Exception exception)
    {
        var (code, line) = exception switch
        {
            // 1008: the service checks signatures and this one is missing or wrong, most often a login without them.
            TesseraCallException { Code: BadSignature } call => (MethodError,
                $"error {call.Code}: {call.Message} (this service signs its calls: sign in with 'tessera login URL USER --signing MODE', MODE being the service's --hmac)"),
            TesseraCallException call => (MethodError, $"error {call.Code}: {call.Message}"),
            TesseraTransportException transport => (Unreachable, "cannot reach the service: " + transport.Message),
            HttpRequestException http => (Unreachable, "cannot reach the service: " + http.Message),
            OperationCanceledException => (Unreachable, "cancelled"),
            UsageException usage => (Usage, usage.Message),
            Spectre.Console.Cli.CommandAppException app => (Usage, app.Message),
            _ => (Unreachable, exception.GetType().Name + ": " + exception.Message),
        };
        Console.Error.WriteLine("tessera: " + line);
        return code;
    }
}

/// <summary>A command line that cannot be run: an unknown method, a value that does not fit its parameter.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Where output goes: tables and colour on a terminal, plain lines when piped or redirected.</summary>
internal static class Terminal
{
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;
}
