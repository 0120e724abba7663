namespace Soak;

internal static class Machine
{
    public static string Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var gib = long.Parse(memory.AsSpan(9).Trim().TrimEnd("kB").Trim()) / 1024.0 / 1024.0;
        return $"{Environment.ProcessorCount} cores ({cpu}), {gib:F0} GiB, .NET {Environment.Version}";
    }
}
