using System.Text.Json.Serialization.Metadata;

namespace Tessera.Serialization;

/// <summary>
/// One source of serializer metadata made at build time (a <c>JsonSerializerContext</c>), registered as a service:
/// Tessera's own contexts, each beside the types it describes, and the service's, added with
/// <c>AddJsonTypeInfoResolver</c>. Every serializer configuration asks them, in the order they were registered, before
/// reflection.
/// </summary>
internal sealed record JsonTypes(IJsonTypeInfoResolver Resolver);
