using Microsoft.Extensions.Hosting;

namespace Tessera.Hosting.Daemon;

/// <summary>
/// In an instance started by <c>--start</c>: writes its pid file once it serves, and deletes it when it stops, so
/// <c>--stop</c> and the next <c>--start</c> see only live instances. The path comes from the starter in
/// <see cref="VariableName"/>.
/// </summary>
internal sealed class PidFile(IHostApplicationLifetime lifetime) : IHostedService
{
    public const string VariableName = "TESSERA_PID_FILE";

    private readonly string? _path = Environment.GetEnvironmentVariable(VariableName);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_path is { Length: > 0 } path)
        {
            lifetime.ApplicationStarted.Register(() => File.WriteAllText(path, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_path is { Length: > 0 } path && File.Exists(path) && File.ReadAllText(path).Trim() == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }
}
