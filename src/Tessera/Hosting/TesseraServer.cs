using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Tessera.Hosting.Configuration;

namespace Tessera;

/// <summary>
/// The one-line host: <c>TesseraServer.Run(args)</c> serves the <see cref="MethodAttribute"/> methods of the entry
/// assembly on http://127.0.0.1:8888. It is <c>AddTessera()</c> and <c>MapTessera()</c> on a WebApplication, with
/// Toto-style options read from tessera.json, <c>TESSERA__*</c> variables and the command line.
/// </summary>
public static class TesseraServer
{
    /// <summary>Runs the service until it is stopped (Ctrl+C or SIGTERM), or prints <c>--help</c> and returns.</summary>
    public static void Run(string[] args, Action<ITesseraBuilder>? configure = null) =>
        RunAsync(args, configure).GetAwaiter().GetResult();

    /// <inheritdoc cref="Run(string[], Action{ITesseraBuilder}?)"/>
    public static async Task RunAsync(string[] args, Action<ITesseraBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var commandLine = TesseraCommandLine.Parse(args, OptionCatalog.Default);
        if (commandLine.WantsHelp)
        {
            var name = Assembly.GetEntryAssembly()?.GetName().Name ?? "service";
            TesseraHelp.Write(Console.Out, name, OptionCatalog.Default);
            return;
        }

        var builder = CreateBuilder(commandLine);
        var tessera = builder.Services.AddTessera();
        configure?.Invoke(tessera);

        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapTessera();
        await app.RunAsync();
    }

    /// <summary>
    /// A WebApplicationBuilder with Tessera's configuration sources and listening address, for services that need
    /// more than <see cref="Run"/> but want the same options.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return CreateBuilder(TesseraCommandLine.Parse(args, OptionCatalog.Default));
    }

    private static WebApplicationBuilder CreateBuilder(ParsedCommandLine commandLine)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = commandLine.Remaining });
        builder.Configuration.AddTesseraSources(commandLine, builder.Environment.ContentRootPath, OptionCatalog.Default);

        // --urls (or ASPNETCORE_URLS) is an explicit choice of addresses; otherwise listen where host and port say.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var options = new TesseraOptions();
            builder.Configuration.GetSection(TesseraOptions.SectionName).Bind(options);
            var host = options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host;
            builder.WebHost.UseUrls($"http://{host}:{options.Port}");
        }

        return builder;
    }
}
