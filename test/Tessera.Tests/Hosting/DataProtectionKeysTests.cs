using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Testing;

namespace Tessera.Tests.Hosting;

/// <summary>
/// With the memory store the Data Protection keys live in the process: a second service never reads the first's
/// cookies or tokens, nothing is written under the user's home, and starting says nothing about unencrypted keys.
/// </summary>
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task TwoServicesOnTheMemoryStore_DoNotShareKeys()
    {
        await using var first = await TesseraTestHost.StartAsync();
        await using var second = await TesseraTestHost.StartAsync();
        var protectedByFirst = Protector(first).Protect("session 42");

        Assert.Equal("session 42", Protector(first).Unprotect(protectedByFirst));
        Assert.ThrowsAny<CryptographicException>(() => Protector(second).Unprotect(protectedByFirst));
    }

    [Fact]
    public async Task AServiceOnTheMemoryStore_WritesNoKeyIntoTheHomeFolder_AndDoesNotWarn()
    {
        var home = Directory.CreateTempSubdirectory("tessera-home-");
        try
        {
            await using var service = await ServiceProcess.StartAsync(
                "HelloService", new Dictionary<string, string> { ["HOME"] = home.FullName }, "--database=memory");
            using var client = service.Client();
            using var hello = await client.GetAsync(new Uri("/greeting/hello?name=ada", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
            Assert.Equal(0, await service.TerminateAsync());

            Assert.DoesNotContain(home.GetFileSystemInfos("*", SearchOption.AllDirectories), f => f.Name.Contains("DataProtection", StringComparison.Ordinal));
            Assert.DoesNotContain("XmlKeyManager", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static IDataProtector Protector(TesseraTestHost host) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
}
