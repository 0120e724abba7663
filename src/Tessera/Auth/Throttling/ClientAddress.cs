using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Tessera.Auth.Throttling;

/// <summary>
/// The client a request comes from, as throttling counts it: the IPv4 address, or the /64 prefix of an IPv6 address
/// (one subscriber usually holds a whole /64, so counting single addresses would let one client rotate freely). It is
/// the connection's address, or the forwarded one when the application runs ASP.NET Core's forwarded-headers middleware.
/// </summary>
internal static class ClientAddress
{
    /// <summary>The partition of work started by the application's own code rather than a client.</summary>
    public const string Application = "application";

    public static string Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
