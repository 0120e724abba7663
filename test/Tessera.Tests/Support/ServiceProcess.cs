using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tessera.Tests.Support;

/// <summary>A sample service running as a real process on 127.0.0.1, as a user would start it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process) => _process = process;

    public int Port { get; private set; }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports, for a service that starts several instances on
    /// ports counting up from one (<c>--processes</c>): the port after a free one is often taken by another connection.
    /// </summary>
    public static int FreePortRun(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = FreePort();
            if (first + count < 65535 && Enumerable.Range(first + 1, count - 1).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException("No run of free ports.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Runs <c>dotnet {assembly}.dll args</c> from the test's output folder and returns when it listens.</summary>
    public static Task<ServiceProcess> StartAsync(string assembly, params string[] args) => StartOnPortAsync(FreePort(), assembly, args);

    /// <summary>As <see cref="StartAsync(string, string[])"/> with more environment variables (HOME, say).</summary>
    public static Task<ServiceProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartOnPortAsync(FreePort(), assembly, args, environment);

    /// <summary>As <see cref="StartAsync(string, string[])"/> on a given port (to start a service again where its clients expect it).</summary>
    public static Task<ServiceProcess> StartOnPortAsync(int port, string assembly, params string[] args) =>
        StartOnPortAsync(port, assembly, args, environment: null);

    private static async Task<ServiceProcess> StartOnPortAsync(
        int port, string assembly, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var service = Run(assembly, ["--port=" + port, .. args], environment: environment);
        service.Port = port;
        await service._listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return service;
    }

    /// <summary>Runs the service to completion (for --help and start-up failures).</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string assembly, params string[] args)
    {
        await using var service = Run(assembly, args);
        await service._process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (service._process.ExitCode, service.Output);
    }

    public HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Sends SIGTERM, as a process manager does, and waits for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    /// <summary>
    /// Runs <c>dotnet {dll} args</c> from <paramref name="workingDirectory"/> (a program outside the test's output folder:
    /// a published or freshly built one) and returns when it listens on <paramref name="port"/>, however it was told to.
    /// </summary>
    public static async Task<ServiceProcess> StartProgramAsync(string dll, string workingDirectory, int port, params string[] args)
    {
        var service = Run(dll, args, workingDirectory);
        service.Port = port;
        await service._listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return service;
    }

    /// <summary>
    /// Runs a native executable (a service published with Native AOT) from its own folder on <paramref name="port"/>
    /// and returns when it listens.
    /// </summary>
    public static async Task<ServiceProcess> StartExecutableAsync(string executable, int port, params string[] args)
    {
        var service = Run(executable, ["--port=" + port, .. args], Path.GetDirectoryName(executable), native: true);
        service.Port = port;
        await service._listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return service;
    }

    private static ServiceProcess Run(
        string assembly, string[] args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, bool native = false)
    {
        var start = new ProcessStartInfo(native ? assembly : "dotnet")
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!native)
        {
            start.ArgumentList.Add(Path.IsPathRooted(assembly) ? assembly : Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var service = new ServiceProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        service._process.OutputDataReceived += (_, e) => service.Append(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service._process.Exited += (_, _) => service._listening.TrySetException(
            new InvalidOperationException($"{assembly} exited before listening:\n{service.Output}"));
        service._process.Start();
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("Now listening on:", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }
}
