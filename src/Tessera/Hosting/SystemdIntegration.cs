using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Tessera.Hosting;

/// <summary>
/// <c>Type=notify</c> support: the host tells systemd READY=1 once it serves and STOPPING=1 when it stops, and logs
/// without colours or timestamps (journald adds its own). <c>UseSystemd</c> only switches on when the parent process is
/// systemd; a supervisor that gives a <c>NOTIFY_SOCKET</c> without being systemd (or a test) gets the same notices.
/// </summary>
internal static class SystemdIntegration
{
    public static void Add(WebApplicationBuilder builder)
    {
        builder.Host.UseSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
    }
}
