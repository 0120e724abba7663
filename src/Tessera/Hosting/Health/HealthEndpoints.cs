using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.Hosting.Health;

/// <summary>
/// <c>/_tessera/health</c>: the process answers (liveness, for a supervisor that restarts what hangs), running no
/// check. <c>/_tessera/ready</c>: every registered check passes, the stores included (readiness, for a load balancer
/// that sends traffic only where it can be served): 200, or 503 naming the failing checks.
/// </summary>
internal static class HealthEndpoints
{
    public const string HealthPath = "/_tessera/health";
    public const string ReadyPath = "/_tessera/ready";

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapHealthChecks(HealthPath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithDisplayName("Tessera liveness");
        group.MapHealthChecks(ReadyPath, new HealthCheckOptions { ResponseWriter = WriteAsync })
            .WithDisplayName("Tessera readiness");
    }

    /// <summary>
    /// <c>{"status":"unhealthy","failing":["postgres"],"checks":{"postgres":{"status":"unhealthy","description":"unreachable",...}}}</c>.
    /// Exception messages stay in the log (the health check service logs every failure): they can carry host names
    /// and connection details.
    /// </summary>
    private static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteStartArray("failing");
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                json.WriteStringValue(name);
            }
        }

        json.WriteEndArray();
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", Name(entry.Status));
            if (entry.Description is { } description)
            {
                json.WriteString("description", description);
            }

            json.WriteNumber("duration_ms", Math.Round(entry.Duration.TotalMilliseconds, 1));
            foreach (var (key, value) in entry.Data)
            {
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
