using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Tessera.Hosting;

/// <summary>
/// <c>--behind_proxy</c>: ASP.NET Core's forwarded-headers middleware, first in the pipeline, believing
/// <c>X-Forwarded-For/Proto/Host</c> only from <c>known_proxies</c>. After it, the connection's address is the client's,
/// <c>Request.IsHttps</c> is the original scheme (session cookies get <c>Secure</c>) and links use the original host.
/// </summary>
internal sealed class ProxyHeaders(IOptions<HostingOptions> options) : IStartupFilter, IConfigureOptions<ForwardedHeadersOptions>
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (options.Value.BehindProxy)
        {
            app.UseForwardedHeaders();
        }

        next(app);
    };

    public void Configure(ForwardedHeadersOptions forwarded)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var entry in options.Value.KnownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            }
            else
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(entry));
            }
        }
    }

    /// <summary>Why a <c>known_proxies</c> value cannot be used; null when every entry is an address or network.</summary>
    public static string? Problem(string knownProxies)
    {
        foreach (var entry in knownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var valid = entry.Contains('/', StringComparison.Ordinal)
                ? System.Net.IPNetwork.TryParse(entry, out _)
                : IPAddress.TryParse(entry, out _);
            if (!valid)
            {
                return $"--known_proxies: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8.";
            }
        }

        return null;
    }
}
