namespace Soak;

/// <summary>The server process as /proc sees it: resident memory, open descriptors and threads.</summary>
internal readonly record struct ProcessSample(long RssKiB, int Descriptors, int Threads)
{
    public static ProcessSample Read(int pid)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim());
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan(8).Trim());
            }
        }

        return new ProcessSample(rss, Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count(), threads);
    }
}
