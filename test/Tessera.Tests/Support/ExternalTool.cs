using System.Diagnostics;

namespace Tessera.Tests.Support;

/// <summary>
/// Finds and runs programs the project did not write (node, python3). A test that needs one is skipped, loudly,
/// only on a machine without it, and never under CI=true, where a missing tool must fail the run.
/// </summary>
public static class ExternalTool
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string InteropFolder => Path.Combine(RepositoryRoot, "test", "interop");

    public static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string program, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? InteropFolder,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }

    private static readonly SemaphoreSlim NpmLock = new(1, 1);

    /// <summary>Installs the pinned npm packages of test/interop once (npm ci), if they are not there yet.</summary>
    public static async Task EnsureNodePackagesAsync()
    {
        await NpmLock.WaitAsync();
        try
        {
            // npm records what it installed; a lockfile newer than that record means the pins changed.
            var installed = new FileInfo(Path.Combine(InteropFolder, "node_modules", ".package-lock.json"));
            if (installed.Exists && installed.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(Path.Combine(InteropFolder, "package-lock.json")))
            {
                return;
            }

            var (exitCode, output, errors) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], timeout: TimeSpan.FromMinutes(3));
            Assert.True(exitCode == 0, $"npm ci in test/interop failed:\n{output}\n{errors}");
        }
        finally
        {
            NpmLock.Release();
        }
    }

    private static readonly SemaphoreSlim JsClientLock = new(1, 1);
    private static bool _jsClientBuilt;

    public static string JsClientFolder => Path.Combine(RepositoryRoot, "clients", "js");

    /// <summary>Installs the TypeScript client's pinned compiler (npm ci) if needed and builds it once per test run.</summary>
    public static async Task EnsureJsClientBuiltAsync()
    {
        await JsClientLock.WaitAsync();
        try
        {
            if (_jsClientBuilt)
            {
                return;
            }

            if (!Directory.Exists(Path.Combine(JsClientFolder, "node_modules", "typescript")))
            {
                var (installed, installOutput, installErrors) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], JsClientFolder, TimeSpan.FromMinutes(3));
                Assert.True(installed == 0, $"npm ci in clients/js failed:\n{installOutput}\n{installErrors}");
            }

            var (built, output, errors) = await RunAsync("npm", ["run", "build"], JsClientFolder, TimeSpan.FromMinutes(2));
            Assert.True(built == 0, $"npm run build in clients/js failed:\n{output}\n{errors}");
            _jsClientBuilt = true;
        }
        finally
        {
            JsClientLock.Release();
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: Tessera.slnx was not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs external programs: skipped with the reason on a machine without one, unless CI=true.</summary>
public sealed class NeedsToolFactAttribute : FactAttribute
{
    public NeedsToolFactAttribute(params string[] programs)
    {
        if (programs.FirstOrDefault(p => !ExternalTool.IsOnPath(p)) is { } missing && !ExternalTool.InCi)
        {
            Skip = $"SKIPPED LOUDLY: '{missing}' is not on PATH; install it to run this interoperability test (CI fails instead of skipping).";
        }
    }
}

/// <summary>A fact that needs a file another package installs: skipped with the reason without it, unless CI=true.</summary>
public sealed class NeedsFileFactAttribute : FactAttribute
{
    public NeedsFileFactAttribute(string path, string install)
    {
        if (!File.Exists(path) && !ExternalTool.InCi)
        {
            Skip = $"SKIPPED LOUDLY: '{path}' is missing; '{install}' to run this interoperability test (CI fails instead of skipping).";
        }
    }
}

/// <summary>A theory that needs an external program: skipped with the reason on a machine without it, unless CI=true.</summary>
public sealed class NeedsToolTheoryAttribute : TheoryAttribute
{
    public NeedsToolTheoryAttribute(string program)
    {
        if (!ExternalTool.IsOnPath(program) && !ExternalTool.InCi)
        {
            Skip = $"SKIPPED LOUDLY: '{program}' is not on PATH; install it to run this interoperability test (CI fails instead of skipping).";
        }
    }
}
