using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Tessera.Hosting.Configuration;
using Tessera.Hosting;
using Tessera.Hosting.Daemon;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera;

/// <summary>
/// The one-line host: <c>TesseraServer.Run(args)</c> serves the <see cref="MethodAttribute"/> methods of the entry
/// assembly on http://127.0.0.1:8888. It is <c>AddTessera()</c> and <c>MapTessera()</c> on a WebApplication, with
/// Toto-style options read from tessera.json, <c>TESSERA__*</c> variables and the command line.
/// </summary>
public static class TesseraServer
{
    /// <summary>Exit code of a service started with options it cannot use (a misspelled flag, a value of the wrong type).</summary>
    public const int BadOptionsExitCode = 2;

    // As the ASP.NET Core templates ship: no per-request log lines from the framework in any environment unless asked.
    // These sit below every other configuration source, so appsettings.json, variables and arguments override them.
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>
    /// Runs the service until it is stopped (Ctrl+C or SIGTERM), or prints <c>--help</c> and returns.
    /// <paramref name="configure"/> adds to Tessera (accounts, backends, methods); <paramref name="configureApp"/> adds
    /// middleware and endpoints before Tessera's own are mapped (static files, health checks, other routes).
    /// </summary>
    public static void Run(string[] args, Action<ITesseraBuilder>? configure = null, Action<WebApplication>? configureApp = null) =>
        RunAsync(args, configure, configureApp).GetAwaiter().GetResult();

    /// <inheritdoc cref="Run(string[], Action{ITesseraBuilder}?, Action{WebApplication}?)"/>
    public static async Task RunAsync(string[] args, Action<ITesseraBuilder>? configure = null, Action<WebApplication>? configureApp = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var commandLine = TesseraCommandLine.Parse(args, OptionCatalog.Default);
        if (Preflight(commandLine) is { } exitCode)
        {
            Environment.ExitCode = exitCode;
            return;
        }

        var builder = CreateBuilder(commandLine);
        if (await ControlBackgroundProcessesAsync(builder, args) is { } controlExitCode)
        {
            Environment.ExitCode = controlExitCode;
            return;
        }

        StartupProfile.Start(builder.Configuration, builder.Environment);

        var tessera = builder.Services.AddTessera();
        configure?.Invoke(tessera);

        await using var app = builder.Build();
        try
        {
            configureApp?.Invoke(app);
            app.MapTessera();
            await app.RunAsync();
        }
        catch (OptionsValidationException exception)
        {
            // A value that only start-up can check (a store name no package registered): one line per problem.
            WriteProblems(exception.Failures);
            Environment.ExitCode = BadOptionsExitCode;
        }
    }

    /// <summary>
    /// A WebApplicationBuilder with Tessera's configuration sources, listening address and Production defaults, for
    /// services that need more than <see cref="Run"/> but want the same options. Like <see cref="Run"/>, it prints
    /// <c>--help</c> and exits with code 0, and stops a process given a misspelled option or a value of the wrong
    /// type with one line naming the flag (exit code 2).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var commandLine = TesseraCommandLine.Parse(args, OptionCatalog.Default);
        if (Preflight(commandLine) is { } exitCode)
        {
            Environment.Exit(exitCode);
        }

        // Options only start-up can check (a store backend no package registered) fail in MapTessera or Run, in the
        // application's own code: a service built here reports them as one line each, not a stack trace.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is OptionsValidationException invalid)
            {
                WriteProblems(invalid.Failures);
                Environment.Exit(BadOptionsExitCode);
            }
        };
        var builder = CreateBuilder(commandLine);
        if (ControlBackgroundProcessesAsync(builder, args).GetAwaiter().GetResult() is { } controlExitCode)
        {
            Environment.Exit(controlExitCode);
        }

        StartupProfile.Start(builder.Configuration, builder.Environment);

        return builder;
    }

    private static WebApplicationBuilder CreateBuilder(ParsedCommandLine commandLine)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = commandLine.Remaining,
            ContentRootPath = ApplicationFolder.ContentRoot(commandLine.Remaining),
        });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        builder.Configuration.AddTesseraSources(commandLine, builder.Environment.ContentRootPath, OptionCatalog.Default);

        // --urls (or ASPNETCORE_URLS) is an explicit choice of addresses; otherwise listen where host and port say.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var options = new TesseraOptions();
            builder.Configuration.GetSection(TesseraOptions.SectionName).Bind(options);
            var host = options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host;
            builder.WebHost.UseUrls($"http://{host}:{options.Port}");
        }

        SystemdIntegration.Add(builder);
        builder.Services.AddHostedService<PidFile>();
        return builder;
    }

    /// <summary>
    /// <c>--start</c> (with <c>--processes</c>) or <c>--stop</c>: runs them and returns the exit code; null when the
    /// service is to run here, in the foreground.
    /// </summary>
    private static async Task<int?> ControlBackgroundProcessesAsync(WebApplicationBuilder builder, string[] args)
    {
        var hosting = new HostingOptions();
        builder.Configuration.GetSection(HostingOptions.SectionName).Bind(hosting);
        if (!hosting.Start && !hosting.Stop)
        {
            return null;
        }

        var tessera = new TesseraOptions();
        builder.Configuration.GetSection(TesseraOptions.SectionName).Bind(tessera);
        var storage = new StorageOptions();
        builder.Configuration.GetSection(StorageOptions.SectionName).Bind(storage);
        var dataDirectory = Stores.DataDirectory.Resolve(storage, builder.Environment);
        var processes = new BackgroundProcesses(builder.Environment.ApplicationName, dataDirectory, Console.Out);
        if (hosting.Stop)
        {
            return await processes.StopAsync(TimeSpan.FromSeconds(tessera.ShutdownTimeoutSeconds + 5));
        }

        var count = hosting.Processes == 0 ? Environment.ProcessorCount : hosting.Processes;
        if (tessera.Port == 0 || count < 1)
        {
            await Console.Error.WriteLineAsync("--start needs a fixed --port (instances take sequential ports from it) and --processes of 0 or more.");
            return BadOptionsExitCode;
        }

        return await processes.StartAsync(InstanceArguments(args), tessera.Host, tessera.Port, count);
    }

    /// <summary>The command line minus what only the starter reads: <c>--start</c>, <c>--processes</c>, <c>--port</c>.</summary>
    private static string[] InstanceArguments(string[] args)
    {
        var kept = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            var name = argument.StartsWith("--", StringComparison.Ordinal) ? argument[2..].Split('=')[0] : null;
            var option = name is null ? null : OptionCatalog.Default.Find(name);
            if (option is null || option.ConfigurationKey is not ("Tessera:Hosting:Start" or "Tessera:Hosting:Processes" or "Tessera:Port"))
            {
                kept.Add(argument);
                continue;
            }

            if (!argument.Contains('=', StringComparison.Ordinal) && option.Type != typeof(bool)
                && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                i++;
            }
        }

        return [.. kept];
    }

    /// <summary>Prints <c>--help</c> or the command line's problems; the exit code then, or null when the service may start.</summary>
    private static int? Preflight(ParsedCommandLine commandLine)
    {
        if (commandLine.WantsHelp)
        {
            WriteHelp();
            return 0;
        }

        if (commandLine.Problems.Count > 0)
        {
            WriteProblems(commandLine.Problems);
            return BadOptionsExitCode;
        }

        return null;
    }

    private static void WriteHelp()
    {
        var name = Assembly.GetEntryAssembly()?.GetName().Name ?? "service";
        TesseraHelp.Write(Console.Out, name, OptionCatalog.Default);
    }

    private static void WriteProblems(IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine(problem);
        }
    }
}
