using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Tests.ScaleOut;

/// <summary>
/// The deployment story end to end: instances started with <c>--start --processes=3 --behind_proxy</c>, the nginx site
/// <c>tessera deploy nginx</c> writes (with TLS) in front of them, and the unit <c>tessera deploy systemd</c> writes.
/// </summary>
public sealed class DeploymentTests
{
    private static string Cli => Path.Combine(AppContext.BaseDirectory, "Tessera.Cli.dll");

    [NeedsServerFact("postgres", "nginx")]
    public async Task GeneratedNginxSite_OverStartedInstancesBehindProxy_ServesCallsAndSse_SeesTheRealClient_AndMarksCookiesSecure()
    {
        var folder = Directory.CreateTempSubdirectory("tessera-deploy-");
        var data = Path.Combine(folder.FullName, "data");
        var port = ServiceProcess.FreePortRun(3);
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        try
        {
            var (started, startOutput) = await ServiceProcess.RunToExitAsync("HelloService",
                "--start", "--processes=3", $"--port={port}", "--data_dir=" + data, "--behind_proxy", "--use_cookies",
                "--database=postgres", "--db_connection=" + database);
            Assert.True(started == 0, startOutput);

            var (certificate, key) = WriteCertificate(folder.FullName);
            var nginxPort = ServiceProcess.FreePort();
            await RunCliAsync("deploy", "nginx", "hello", "--ports", $"{port}-{port + 2}", "--listen", $"127.0.0.1:{nginxPort}",
                "--tls-cert", certificate, "--tls-key", key, "-o", folder.FullName);
            var site = (await File.ReadAllTextAsync(Path.Combine(folder.FullName, "hello.conf")))
                .Replace("listen 80;", $"listen 127.0.0.1:{ServiceProcess.FreePort()};", StringComparison.Ordinal);
            await using var nginx = await PrivateNginx.StartAsync(site, nginxPort);

            // The client comes from 127.0.0.2, so the address the service logs tells nginx's (127.0.0.1) from the client's.
            using var http = ClientFrom(IPAddress.Parse("127.0.0.2"), nginxPort);
            var toto = new TotoTestClient(http);
            var greeting = await toto.CallAsync("greeting.hello", new { name = "tls" });
            Assert.Equal("hello tls", greeting.Result.GetString());

            var created = await toto.CallAsync("account.create", new { user_id = "ada", password = AuthHosts.Password });
            Assert.True(created.ErrorCode is null, created.Body);
            var cookie = created.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("toto-session-id=", StringComparison.Ordinal));
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);

            await using (var stream = await SseClient.OpenAsync(http, "/events?topics=announcements"))
            {
                using var poster = ClientFrom(IPAddress.Parse("127.0.0.2"), nginxPort);
                var author = new TotoTestClient(poster) { SessionId = created.Result.GetProperty("session_id").GetString() };
                var posted = await author.CallAsync("announcement.post", new { text = "through tls" });
                Assert.True(posted.ErrorCode is null, posted.Body);
                var received = await stream.NextAsync(TimeSpan.FromSeconds(10));
                Assert.Equal("through tls", received!.Value.Data.GetProperty("text").GetString());
                Assert.Equal(posted.Result.GetInt64(), received.Value.Id);
            }

            // Failures are counted per instance: enough of them that some instance refuses and logs the address.
            for (var attempt = 0; attempt < 21; attempt++)
            {
                await toto.CallAsync("account.login", new { user_id = "ada", password = "wrong password!" });
            }

            var logs = string.Join('\n', Directory.GetFiles(data, "HelloService.*.log").Select(File.ReadAllText));
            Assert.Contains("A sign-in for ada from 127.0.0.2 was refused", logs, StringComparison.Ordinal);
            Assert.DoesNotContain("A sign-in for ada from 127.0.0.1", logs, StringComparison.Ordinal);
        }
        finally
        {
            var (stopped, stopOutput) = await ServiceProcess.RunToExitAsync("HelloService", "--stop", "--data_dir=" + data);
            folder.Delete(recursive: true);
            Assert.True(stopped == 0, stopOutput);
        }
    }

    [NeedsToolFact("systemd-analyze")]
    public async Task GeneratedSystemdUnit_PassesSystemdAnalyzeVerify()
    {
        var folder = Directory.CreateTempSubdirectory("tessera-unit-");
        try
        {
            var program = Path.Combine(AppContext.BaseDirectory, "HelloService");
            await RunCliAsync("deploy", "systemd", "hello", "--exec", program, "--data-dir", "/var/lib/hello", "-o", folder.FullName);
            var unit = await File.ReadAllTextAsync(Path.Combine(folder.FullName, "hello@.service"));
            Assert.Contains("Type=notify", unit, StringComparison.Ordinal);
            Assert.Contains($"ExecStart={program} --port=%i --data_dir=/var/lib/hello", unit, StringComparison.Ordinal);
            Assert.Contains("NoNewPrivileges=true", unit, StringComparison.Ordinal);

            // An instance of the template, as systemctl start hello@8881 makes it.
            File.Copy(Path.Combine(folder.FullName, "hello@.service"), Path.Combine(folder.FullName, "hello@8881.service"));
            var (exitCode, output, errors) = await ExternalTool.RunAsync("systemd-analyze", ["verify", Path.Combine(folder.FullName, "hello@8881.service")]);
            Assert.True(exitCode == 0 && !(output + errors).Contains("hello@", StringComparison.Ordinal), output + errors);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DeployNginx_RefusesABadPortRange()
    {
        var (exitCode, output, errors) = await ExternalTool.RunAsync("dotnet", [Cli, "deploy", "nginx", "hello", "--ports", "9000-8000"]);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("8881-8884", output + errors, StringComparison.Ordinal);
    }

    private static async Task RunCliAsync(params string[] arguments)
    {
        var (exitCode, output, errors) = await ExternalTool.RunAsync("dotnet", [Cli, .. arguments]);
        Assert.True(exitCode == 0, output + errors);
    }

    private static HttpClient ClientFrom(IPAddress source, int port)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) };
    }

    private static (string Certificate, string Key) WriteCertificate(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
