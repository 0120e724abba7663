using System.Text.Json;

namespace Tessera.Discovery;

/// <summary>
/// <c>rpc.discover</c> (OpenRPC) and gemstone's <c>get_service_specs</c>, which gemstone clients up to 0.9 call first.
/// </summary>
internal sealed class DiscoveryMethods(OpenRpcDocument document)
{
    [Method("rpc.discover", AllowGet = true)]
    public JsonElement Discover() => document.Document;

    [Method("get_service_specs", AllowGet = true)]
    public ServiceSpecs GetServiceSpecs() =>
        new(document.Name, document.Methods.ToDictionary(m => m.Name, m => m.Description ?? string.Empty, StringComparer.Ordinal));
}

internal sealed record ServiceSpecs(string Name, IReadOnlyDictionary<string, string> Methods);
