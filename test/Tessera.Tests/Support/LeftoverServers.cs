using System.Diagnostics;

namespace Tessera.Tests.Support;

/// <summary>
/// What the server fixtures share to clean up after test processes that died without disposing them (test hosts are
/// killed, not exited, so exit hooks do not run): each server's temporary folder names its owner in <c>owner.pid</c>,
/// and the next run stops a dead owner's server and deletes its folder.
/// </summary>
public static class LeftoverServers
{
    public const string OwnerFile = "owner.pid";

    /// <summary>Records this test process as the owner of <paramref name="folder"/> (and the server's pid, when known).</summary>
    public static Task WriteOwnerAsync(string folder, int? serverId = null) =>
        File.WriteAllTextAsync(Path.Combine(folder, OwnerFile), serverId is { } id ? $"{Environment.ProcessId} {id}" : $"{Environment.ProcessId}");

    /// <summary>The folders of <paramref name="prefix"/> whose owner process is gone, with the server pid it recorded.</summary>
    public static IEnumerable<(string Folder, int? ServerId)> Orphans(string prefix)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (File.Exists(owner) && File.ReadAllText(owner).Split(' ', StringSplitOptions.TrimEntries) is [var ownerText, .. var rest]
                && int.TryParse(ownerText, out var ownerId) && !IsAlive(ownerId))
            {
                yield return (folder, rest is [var serverText] && int.TryParse(serverText, out var serverId) ? serverId : null);
            }
        }
    }

    /// <summary>Kills process <paramref name="processId"/> if it is still the server named <paramref name="processName"/>.</summary>
    public static void Kill(int processId, string processName)
    {
        try
        {
            using var server = Process.GetProcessById(processId);
            if (server.ProcessName.StartsWith(processName, StringComparison.Ordinal))
            {
                server.Kill();
                server.WaitForExit(30_000);
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    /// <summary>The pid a server wrote to <paramref name="pidFile"/>, or null.</summary>
    public static int? ReadPid(string pidFile) =>
        File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) ? pid : null;

    public static bool IsAlive(int processId) => Directory.Exists($"/proc/{processId}");

    /// <summary>
    /// Starts a guard that runs <paramref name="cleanup"/> once this test process is gone, while <paramref name="folder"/>
    /// (the server's) still exists: a server whose test host was killed is stopped within a second, not at the next run.
    /// The guard is detached (setsid, its parent exits at once), so killing the test host's process tree spares it.
    /// </summary>
    public static void GuardAfterDeath(string folder, string cleanup)
    {
        var guard = $"while [ -d /proc/{Environment.ProcessId} ] && [ -d '{folder}' ]; do sleep 1; done; if [ -d '{folder}' ]; then {cleanup}; fi";
        using var launcher = Process.Start(new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", $"setsid bash -c \"{guard.Replace("\"", "\\\"", StringComparison.Ordinal)}\" > /dev/null 2>&1 < /dev/null &" },
            UseShellExecute = false,
        })!;
        launcher.WaitForExit(5000);
    }
}
