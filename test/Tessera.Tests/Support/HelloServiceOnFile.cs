using Tessera.Client;

namespace Tessera.Tests.Support;

/// <summary>
/// HelloService as its own process on a SQLite file of its own, with a signed-in publisher of announcements: for tests
/// that stop the service and start it again on the same port and file (events resume from the file's event log).
/// </summary>
public sealed class HelloServiceOnFile : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly string[] _store;
    private ServiceProcess? _service;

    private HelloServiceOnFile(DirectoryInfo folder, string[] store, ServiceProcess service)
    {
        _folder = folder;
        _store = store;
        _service = service;
        Port = service.Port;
        Url = $"http://127.0.0.1:{Port}/";
        Publisher = new TesseraClient(new Uri(Url));
    }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Signed in as "herald", which may post announcements; signed in again by <see cref="StartAgainAsync"/>.</summary>
    public TesseraClient Publisher { get; }

    public static async Task<HelloServiceOnFile> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("tessera-hello-file-");
        string[] store = ["--db_connection=Data Source=" + Path.Combine(folder.FullName, "tessera.db")];
        var started = new HelloServiceOnFile(folder, store, await ServiceProcess.StartAsync("HelloService", store));
        await started.Publisher.Accounts.CreateAsync("herald", AuthHosts.Password);
        return started;
    }

    /// <summary>Posts an announcement and answers its event id.</summary>
    public Task<long> AnnounceAsync(string text, CancellationToken cancellationToken = default) =>
        Publisher.CallAsync<long>("announcement.post", new { text }, cancellationToken);

    /// <summary>Stops the service (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_service is { } service)
        {
            _service = null;
            await service.TerminateAsync();
            await service.DisposeAsync();
        }
    }

    /// <summary>Starts it again on the same port and file, and signs the publisher in again.</summary>
    public async Task StartAgainAsync()
    {
        _service = await ServiceProcess.StartOnPortAsync(Port, "HelloService", _store);
        await Publisher.Accounts.LoginAsync("herald", AuthHosts.Password);
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        if (_service is { } service)
        {
            await service.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }
}
