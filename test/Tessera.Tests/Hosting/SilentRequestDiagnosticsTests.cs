using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Tessera.Hosting;

namespace Tessera.Tests.Hosting;

/// <summary>
/// ASP.NET Core's request diagnostics (an Activity and a logging scope per request) are off while their logger could
/// write nothing, and on as soon as any rule lets it write.
/// </summary>
public sealed class SilentRequestDiagnosticsTests
{
    /// <summary>Keeps what it is asked to log, so logging is really on for the host.</summary>
    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, string Message)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<(string, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, formatter(state, exception)));
        }
    }

    /// <summary>Calls greeting.hello and tells whether ASP.NET Core started its request Activity for it.</summary>
    private static async Task<(bool Activity, CapturingProvider Logs)> CallAsync(params (string Key, string Level)[] levels)
    {
        var logs = new CapturingProvider();
        await using var host = await Hosts.StartAsync(
            t => t.Methods.Add("greeting.hello", (string name) => $"hello {name}"),
            o =>
            {
                foreach (var (key, level) in levels)
                {
                    o.Configuration[key] = level;
                }

                o.ConfigureBuilder = builder => builder.Logging.AddProvider(logs);
                o.ConfigureApp = app => app.Use(async (http, next) =>
                {
                    http.Response.Headers["x-request-activity"] = http.Features.Get<IHttpActivityFeature>()?.Activity is null ? "no" : "yes";
                    await next(http);
                });
            });

        var response = await host.Toto.CallAsync("greeting.hello", new { name = "ada" });

        Assert.Equal("hello ada", response.Result.GetString());
        return (response.Header("x-request-activity") == "yes", logs);
    }

    [Fact]
    public async Task AtWarning_TheRequestActivityIsNotStarted()
    {
        var (activity, _) = await CallAsync(("Logging:LogLevel:Default", "Information"), ("Logging:LogLevel:Microsoft.AspNetCore", "Warning"));

        Assert.False(activity);
    }

    [Fact]
    public async Task AskedForRequestLogs_TheyAreWritten_WithTheirActivity()
    {
        var (activity, logs) = await CallAsync(
            ("Logging:LogLevel:Microsoft.AspNetCore", "Warning"), ("Logging:LogLevel:" + SilentRequestDiagnostics.Category, "Information"));

        Assert.True(activity);
        Assert.Contains(logs.Lines, line => line.Category == SilentRequestDiagnostics.Category && line.Message.StartsWith("Request starting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCategorySetToWarning_KeepsTheActivity_WithoutRequestLines()
    {
        var (activity, logs) = await CallAsync(
            ("Logging:LogLevel:Microsoft.AspNetCore", "Warning"), ("Logging:LogLevel:" + SilentRequestDiagnostics.Category, "Warning"));

        Assert.True(activity);
        Assert.DoesNotContain(logs.Lines, line => line.Category == SilentRequestDiagnostics.Category);
    }

    [Fact]
    public async Task AspNetCoreAtInformation_KeepsTheRequestLogs()
    {
        var (activity, logs) = await CallAsync(("Logging:LogLevel:Microsoft.AspNetCore", "Information"));

        Assert.True(activity);
        Assert.Contains(logs.Lines, line => line.Category == SilentRequestDiagnostics.Category);
    }

    [Theory]
    [InlineData(null, null, LogLevel.Warning, true)]
    [InlineData(null, "Microsoft.AspNetCore", LogLevel.Information, false)]
    [InlineData(null, "Microsoft.AspNetCore.Hosting", LogLevel.Error, true)]
    [InlineData(null, SilentRequestDiagnostics.Category, LogLevel.Warning, false)]
    [InlineData("Console", null, LogLevel.Information, false)]
    [InlineData("Console", "Microsoft.AspNetCore", LogLevel.Warning, true)]
    [InlineData("Console", "Other.Category", LogLevel.Debug, true)]
    public void Rules_DecideWhetherTheCategoryIsTurnedOff(string? provider, string? category, LogLevel level, bool turnedOff)
    {
        var options = new LoggerFilterOptions { MinLevel = LogLevel.Information };
        options.Rules.Add(new LoggerFilterRule(null, "Microsoft", LogLevel.Warning, null));
        options.Rules.Add(new LoggerFilterRule(provider, category, level, null));

        new SilentRequestDiagnostics().Configure(options);

        Assert.Equal(turnedOff, options.Rules.Any(r => r.CategoryName == SilentRequestDiagnostics.Category && r.LogLevel == LogLevel.None));
    }

    [Fact]
    public void RulesItCannotRead_LeaveTheLoggerAlone()
    {
        var options = new LoggerFilterOptions { MinLevel = LogLevel.Warning };
        options.Rules.Add(new LoggerFilterRule(null, "Microsoft.*", LogLevel.Warning, null));

        new SilentRequestDiagnostics().Configure(options);

        Assert.DoesNotContain(options.Rules, r => r.CategoryName == SilentRequestDiagnostics.Category);
    }
}
