using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.Hosting;

/// <summary>
/// Turns ASP.NET Core's per-request diagnostics logger off when the logging configuration leaves it silent anyway.
/// That category (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) only ever writes at Information, yet whenever it is
/// enabled at any level ASP.NET Core starts an <c>Activity</c> and a logging scope for every request. Under the usual
/// production setting (<c>Microsoft.AspNetCore</c> at Warning) that is work nobody sees: 6-11% of a small call's
/// throughput on the load harness's two cores, and part of what an idle event stream keeps. Any rule that lets the
/// category write (Information for <c>Microsoft.AspNetCore</c>, for a provider), or any level set for the category
/// itself, keeps it on, and the rule is worked out again whenever the logging configuration reloads. Tracing (an
/// <c>ActivityListener</c>, OpenTelemetry) still gets its request activity: ASP.NET Core creates it for listeners
/// whatever the logger says.
/// </summary>
internal sealed class SilentRequestDiagnostics : IConfigureOptions<LoggerFilterOptions>
{
    public const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public void Configure(LoggerFilterOptions options)
    {
        if (WritesNothing(options))
        {
            options.Rules.Add(new LoggerFilterRule(providerName: null, Category, LogLevel.None, filter: null));
        }
    }

    /// <summary>
    /// Whether the rules give the category (for every provider) a level above Information, without naming it. Rules
    /// this cannot read (a filter function, a wildcard) leave the logger as it is.
    /// </summary>
    private static bool WritesNothing(LoggerFilterOptions options)
    {
        LoggerFilterRule? best = null;
        foreach (var rule in options.Rules)
        {
            if (rule.CategoryName?.Contains('*', StringComparison.Ordinal) == true)
            {
                return false;
            }

            if (rule.CategoryName is not null && !Category.StartsWith(rule.CategoryName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A rule naming this very category is someone's choice (Warning keeps the activity and scope without the
            // request lines), and so is a filter function: either leaves the logger as configured.
            if (rule.Filter is not null || string.Equals(rule.CategoryName, Category, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (rule.ProviderName is not null)
            {
                // A provider's own rule for this category (or a broader one) decides for that provider: respect it
                // unless it keeps the category quiet too.
                if ((rule.LogLevel ?? options.MinLevel) <= LogLevel.Information)
                {
                    return false;
                }

                continue;
            }

            // As the logger factory chooses: the longest matching category wins, the later of two equal ones.
            if (best is null || (rule.CategoryName?.Length ?? 0) >= (best.CategoryName?.Length ?? 0))
            {
                best = rule;
            }
        }

        return (best?.LogLevel ?? options.MinLevel) > LogLevel.Information;
    }
}
