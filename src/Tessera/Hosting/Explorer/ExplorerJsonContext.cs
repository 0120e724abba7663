using System.Text.Json.Serialization;

namespace Tessera.Hosting.Explorer;

/// <summary>The explorer's figures per method and second, as <c>/_tessera/metrics.json</c> answers them.</summary>
internal sealed record ExplorerMetrics(int Seconds, Dictionary<string, ExplorerFigures[]> Methods);

/// <summary>One second of one method: calls, errors and the median and 99th percentile in milliseconds.</summary>
internal sealed record ExplorerFigures(long Calls, long Errors, double? P50, double? P99);

/// <summary>Build-time serializer metadata for the explorer's figures.</summary>
[JsonSerializable(typeof(ExplorerMetrics))]
internal sealed partial class ExplorerJsonContext : JsonSerializerContext;
