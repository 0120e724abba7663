using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tessera.Hosting.Daemon;

/// <summary>
/// Toto's <c>--start</c>, <c>--stop</c> and <c>--processes=N</c>: instances of this very program run detached in the
/// background (their own session, so closing the terminal does not end them), one per port from <c>--port</c>, each
/// with a pid file <c>NAME.PORT.pid</c> and a log <c>NAME.PORT.log</c> in the data directory. <c>--start</c> returns
/// once every instance answers <c>/_tessera/health</c>; <c>--stop</c> sends SIGTERM to each (a graceful shutdown that
/// finishes the calls in flight) and waits for it to exit.
/// </summary>
internal sealed class BackgroundProcesses(string name, string dataDirectory, TextWriter output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public string PidFileFor(int port) => Path.Combine(dataDirectory, $"{name}.{port}.pid");

    public string LogFileFor(int port) => Path.Combine(dataDirectory, $"{name}.{port}.log");

    /// <summary>Starts the instances; 0 when all answer, 1 when one could not start (its log's last lines are printed).</summary>
    public async Task<int> StartAsync(string[] instanceArguments, string host, int firstPort, int count)
    {
        Directory.CreateDirectory(dataDirectory);
        var ports = Enumerable.Range(firstPort, count).ToList();
        foreach (var port in ports)
        {
            if (RunningPid(port) is { } pid)
            {
                await output.WriteLineAsync($"{name} already runs on port {port} (pid {pid}); --stop it first.");
                return 1;
            }
        }

        var started = new List<(int Port, Process Process)>();
        foreach (var port in ports)
        {
            started.Add((port, Spawn(instanceArguments, port)));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        var failed = false;
        foreach (var (port, process) in started)
        {
            var url = $"http://{(host is "0.0.0.0" or "::" or "*" ? "127.0.0.1" : host)}:{port}{HealthEndpointsPath}";
            while (!await AnswersAsync(http, url) || !File.Exists(PidFileFor(port)))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    await output.WriteLineAsync($"{name} on port {port} did not start; the end of {LogFileFor(port)}:");
                    foreach (var line in File.Exists(LogFileFor(port)) ? File.ReadLines(LogFileFor(port)).TakeLast(20) : [])
                    {
                        await output.WriteLineAsync("  " + line);
                    }

                    failed = true;
                    break;
                }

                await Task.Delay(100);
            }

            if (!failed)
            {
                await output.WriteLineAsync($"{name} runs on port {port} (pid {process.Id}, log {LogFileFor(port)}).");
            }
        }

        if (failed)
        {
            await StopAsync(TimeSpan.FromSeconds(10));
            return 1;
        }

        return 0;
    }

    /// <summary>Stops every instance with a pid file here; 0 when all ended within <paramref name="grace"/>.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        var files = Directory.Exists(dataDirectory) ? Directory.GetFiles(dataDirectory, $"{name}.*.pid") : [];
        if (files.Length == 0)
        {
            await output.WriteLineAsync($"No instance of {name} is running from {dataDirectory}.");
            return 0;
        }

        var exitCode = 0;
        foreach (var file in files)
        {
            if (!int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                || Alive(pid) is not { } process)
            {
                File.Delete(file);
                continue;
            }

            using (process)
            {
                using var kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(grace);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                    await output.WriteLineAsync($"Stopped {name} (pid {pid}).");
                }
                catch (OperationCanceledException)
                {
                    await output.WriteLineAsync($"{name} (pid {pid}) did not stop within {grace.TotalSeconds:0} s.");
                    exitCode = 1;
                    continue;
                }
            }

            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }

        return exitCode;
    }

    private const string HealthEndpointsPath = Health.HealthEndpoints.HealthPath;

    private int? RunningPid(int port)
    {
        var file = PidFileFor(port);
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            using var process = Alive(pid);
            if (process is not null)
            {
                return pid;
            }

            File.Delete(file);
        }

        return null;
    }

    /// <summary>This program started again, detached by setsid, its output appended to the port's log.</summary>
    private Process Spawn(string[] instanceArguments, int port)
    {
        var (program, prefix) = ThisProgram();
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory };
        foreach (var argument in (string[])["/bin/sh", "-c", "exec \"$@\" >>\"$TESSERA_LOG_FILE\" 2>&1 </dev/null", "sh", program, .. prefix, .. instanceArguments, $"--port={port}"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TESSERA_LOG_FILE"] = LogFileFor(port);
        start.Environment[PidFile.VariableName] = PidFileFor(port);
        return Process.Start(start) ?? throw new InvalidOperationException("setsid could not be started.");
    }

    /// <summary>The executable and the arguments before the service's own: <c>dotnet app.dll</c> or the apphost alone.</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "A program with no assembly path is its own executable: the empty location is handled.")]
    private static (string Program, string[] Prefix) ThisProgram()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(path) == "dotnet" && !string.IsNullOrEmpty(entry)
            ? (path, [entry])
            : (path, []);
    }

    private static Process? Alive(int pid)
    {
        try
        {
            var process = Process.GetProcessById(pid);
            if (!process.HasExited)
            {
                return process;
            }

            process.Dispose();
        }
        catch (ArgumentException)
        {
        }

        return null;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
