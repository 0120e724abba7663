using System.Text.Json.Serialization;

namespace Tessera.PostgreSQL;

/// <summary>
/// Build-time serializer metadata for the string lists this store keeps as JSON (an account's roles, an instance's
/// methods): no reflection-based serializer, so a Native AOT service can use the store.
/// </summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class PostgresJson : JsonSerializerContext;
