using ChatService;
using Tessera;
using Tessera.Testing;

namespace ChatService.Tests;

public sealed class ChatTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TesseraTestHost.StartAsync(tessera => tessera.AddAccounts().Methods.AddType<ChatMethods>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PostedMessage_ReachesAWaitingReader()
    {
        await _host.Toto.CreateAccountAsync("ada", "correct horse battery staple");
        var waiting = _host.Toto.CallAsync("chat.receive_message");
        await Task.Delay(200);

        var posted = await _host.Toto.CallAsync("chat.post_message", new { message = "hello, world" });
        var received = await waiting;

        Assert.Null(posted.ErrorCode);
        Assert.Equal("ada", received.Result.GetProperty("user_id").GetString());
        Assert.Equal("hello, world", received.Result.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Posting_NeedsASignedInUser()
    {
        var answer = await _host.Toto.CallAsync("chat.post_message", new { message = "anonymous" });
        Assert.NotNull(answer.ErrorCode);
    }
}
