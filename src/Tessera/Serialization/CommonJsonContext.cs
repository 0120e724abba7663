using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tessera.Serialization;

/// <summary>
/// Build-time serializer metadata for the shapes every layer writes: JSON trees, string lists and maps, and the
/// loosely typed map of <c>account.update</c>. Like <see cref="ScalarJsonContext"/>, asked before every registered
/// context (<see cref="JsonResolvers"/>); used directly only where names are fixed (stored values, string lists,
/// JSON trees and maps).
/// </summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string[][]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IEnumerable<string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
internal sealed partial class CommonJsonContext : JsonSerializerContext;
