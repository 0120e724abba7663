using Tessera;
using Tessera.Testing;
using TesseraService;

namespace TesseraService.Tests;

public sealed class GreetingTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TesseraTestHost.StartAsync(tessera => tessera.AddAccounts().Methods.AddType<GreetingMethods>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Hello_GreetsByName()
    {
        var answer = await _host.Toto.CallAsync("greeting.hello", new { name = "Ada" });
        Assert.Equal("Hello, Ada!", answer.Result.GetString());
    }

    [Fact]
    public async Task Hello_WithAnEmptyName_IsRefusedWithTheRule()
    {
        var answer = await _host.Toto.CallAsync("greeting.hello", new { name = "" });
        Assert.NotNull(answer.ErrorCode);
    }

    [Fact]
    public async Task Me_NeedsASession_AndNamesItsUser()
    {
        Assert.NotNull((await _host.Toto.CallAsync("greeting.me")).ErrorCode);

        await _host.Toto.CreateAccountAsync("ada", "correct horse battery staple");
        var answer = await _host.Toto.CallAsync("greeting.me");
        Assert.Equal("ada", answer.Result.GetString());
    }
}
