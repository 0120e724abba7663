using System.Text.Json.Serialization;
using Tessera.Discovery.Registry;

namespace Tessera.Discovery;

/// <summary>Build-time serializer metadata for what the discovery and registry methods answer.</summary>
[JsonSerializable(typeof(ServiceSpecs))]
[JsonSerializable(typeof(IReadOnlyList<RegisteredService>))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext;
