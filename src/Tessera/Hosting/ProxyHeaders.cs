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
        foreach (var entry in Entries(options.Value.KnownProxies))
        {
            if (TryParse(entry, out var address, out var network) && address is not null)
            {
                forwarded.KnownProxies.Add(address);
            }
            else if (network is { } known)
            {
                forwarded.KnownIPNetworks.Add(known);
            }
        }
    }

    /// <summary>Why a <c>known_proxies</c> value cannot be used; null when every entry is an address or network.</summary>
    public static string? Problem(string knownProxies)
    {
        foreach (var entry in Entries(knownProxies))
        {
            if (!TryParse(entry, out _, out _))
            {
                return $"--known_proxies: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8.";
            }
        }

        return null;
    }

    private static string[] Entries(string knownProxies) =>
        knownProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An entry is a network when it has a prefix length (<c>10.0.0.0/8</c>), else an address.</summary>
    private static bool TryParse(string entry, out IPAddress? address, out System.Net.IPNetwork? network)
    {
        address = null;
        network = null;
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            var parsed = System.Net.IPNetwork.TryParse(entry, out var value);
            network = parsed ? value : null;
            return parsed;
        }

        return IPAddress.TryParse(entry, out address);
    }
}
