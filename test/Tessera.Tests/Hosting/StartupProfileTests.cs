using System.Net;
using Microsoft.Extensions.Configuration;
using Tessera.Hosting;

namespace Tessera.Tests.Hosting;

/// <summary>
/// The start-up profile (multicore JIT): written in the data directory as the service stops, one per listening address,
/// used by the next start there; never where Tessera writes nothing else, nor when switched off.
/// </summary>
public sealed class StartupProfileTests
{
    [Fact]
    public async Task AStoppedService_LeavesItsProfileInTheDataDirectory_AndStartsAgainWithIt()
    {
        var data = Directory.CreateTempSubdirectory("tessera-profile-");
        try
        {
            int port;
            await using (var first = await ServiceProcess.StartAsync("HelloService", "--data_dir=" + data.FullName))
            {
                port = first.Port;
                Assert.Equal(HttpStatusCode.OK, (await first.Client().GetAsync(new Uri("/greeting/hello?name=a", UriKind.Relative))).StatusCode);
                Assert.Equal(0, await first.TerminateAsync());
            }

            var profile = new FileInfo(Path.Combine(data.FullName, $"startup-http-127-0-0-1-{port}.jitprofile"));
            Assert.True(profile.Exists, "no start-up profile in " + data.FullName);
            Assert.True(profile.Length > 1_000, $"the profile has {profile.Length} bytes");
            var written = profile.LastWriteTimeUtc;

            await using (var again = await ServiceProcess.StartOnPortAsync(port, "HelloService", "--data_dir=" + data.FullName))
            {
                using var answer = await again.Client().GetAsync(new Uri("/greeting/hello?name=b", UriKind.Relative));
                Assert.Contains("hello b", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal(0, await again.TerminateAsync());
            }

            profile.Refresh();
            Assert.True(profile.LastWriteTimeUtc >= written);
            Assert.Single(Directory.GetFiles(data.FullName, "*.jitprofile"));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ADamagedProfile_IsIgnored_AndReplacedAtTheNextStop()
    {
        var data = Directory.CreateTempSubdirectory("tessera-profile-");
        try
        {
            var port = ServiceProcess.FreePort();
            var profile = Path.Combine(data.FullName, $"startup-http-127-0-0-1-{port}.jitprofile");
            var garbage = new byte[50_000];
            new Random(17).NextBytes(garbage);
            await File.WriteAllBytesAsync(profile, garbage);

            await using (var service = await ServiceProcess.StartOnPortAsync(port, "HelloService", "--data_dir=" + data.FullName))
            {
                using var answer = await service.Client().GetAsync(new Uri("/greeting/hello?name=c", UriKind.Relative));
                Assert.Contains("hello c", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal(0, await service.TerminateAsync());
            }

            Assert.NotEqual(garbage, await File.ReadAllBytesAsync(profile));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--startup_profile=false")]
    [InlineData("--database=memory")]
    public async Task NoProfileIsWritten_WhenSwitchedOff_OrWhenTheServiceKeepsNoState(string option)
    {
        // The memory database without --data_dir keeps state in the content root, the test's output folder, where only
        // this run's port would name a profile.
        var data = Directory.CreateTempSubdirectory("tessera-profile-");
        try
        {
            string[] arguments = option == "--database=memory" ? [option] : [option, "--data_dir=" + data.FullName];
            int port;
            await using (var service = await ServiceProcess.StartAsync("HelloService", arguments))
            {
                port = service.Port;
                Assert.Equal(0, await service.TerminateAsync());
            }

            Assert.Empty(Directory.GetFiles(data.FullName, "*.jitprofile"));
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, $"startup-http-127-0-0-1-{port}.jitprofile")));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(null, null, "startup-127-0-0-1-8888.jitprofile")]
    [InlineData("9000", null, "startup-127-0-0-1-9000.jitprofile")]
    [InlineData("0", null, null)]
    [InlineData(null, "http://127.0.0.1:9000", "startup-http-127-0-0-1-9000.jitprofile")]
    [InlineData(null, "http://0.0.0.0:5000;http://[::]:5001", "startup-http-0-0-0-0-5000-http-5001.jitprofile")]
    [InlineData(null, "http://127.0.0.1:5000;http://127.0.0.1:0/", null)]
    public void TheProfileIsNamedByWhereTheServiceListens_AndThereIsNoneForAPortChosenAtRandom(string? port, string? urls, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TesseraOptions.SectionName + ":Port"] = port,
            ["urls"] = urls,
        }).Build();

        Assert.Equal(expected, StartupProfile.FileName(configuration));
    }
}
