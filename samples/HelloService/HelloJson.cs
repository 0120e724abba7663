using System.Text.Json.Serialization;

namespace HelloService;

/// <summary>
/// Serializer metadata, made at build time, for the records this service answers and publishes. Tessera asks it before
/// reflection: the first call of each method skips describing its types at run time, and a Native AOT build, which
/// cannot describe them by reflection, works (docs/deployment.md).
/// </summary>
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(InboxMessage))]
[JsonSerializable(typeof(Announcement))]
[JsonSerializable(typeof(HeartbeatNotice))]
internal sealed partial class HelloJson : JsonSerializerContext;
