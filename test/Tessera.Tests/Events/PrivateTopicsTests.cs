using Tessera.Events;

namespace Tessera.Tests.Events;

/// <summary>
/// Per-user topics: an id is one encoded segment, so no id prefix-matches another's topics (the <c>ada</c> /
/// <c>ada.lovelace</c> leak), any id can receive, and a user follows their own as <c>user.me.*</c>.
/// </summary>
public sealed class PrivateTopicsTests
{
    private static Task<TesseraTestHost> Start() => Hosts.StartHelloServiceAsync(o => o.UseKestrel = true);

    [Theory]
    [InlineData("ada", "ada")]
    [InlineData("ada.lovelace", "ada_2Elovelace")]
    [InlineData("eve@example.com", "eve_40example_2Ecom")]
    [InlineData("snake_case", "snake_5Fcase")]
    [InlineData("me", "_6De")]
    [InlineData("zoë", "zo_u00EB")]
    public void Segment_EncodesEveryIdAsOneTopicSegment(string userId, string segment)
    {
        Assert.Equal(segment, PrivateTopics.Segment(userId));
        Assert.True(TopicPattern.IsTopic(PrivateTopics.For(userId, "inbox")));
    }

    [Fact]
    public void Segment_IsInjective_AndNeverHoldsADot_OverManyRandomIds()
    {
        var random = new Random(20261129);
        const string alphabet = "ab._-@%me\u00e9\ud83d\ude00 \u0000";
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var round = 0; round < 20_000; round++)
        {
            var id = new string(Enumerable.Range(0, random.Next(1, 7)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var segment = PrivateTopics.Segment(id);

            Assert.DoesNotContain('.', segment);
            Assert.NotEqual("me", segment);
            Assert.True(!seen.TryGetValue(segment, out var other) || other == id, $"'{id}' and '{other}' share '{segment}'");
            seen[segment] = id;
        }
    }

    [Fact]
    public void UserMe_ResolvesForTheSignedInUser_AndIsPresentedBack()
    {
        var lovelace = PrivateTopics.Segment("ada.lovelace");

        Assert.Equal("user.ada_2Elovelace.*", PrivateTopics.Resolve("user.me.*", lovelace));
        Assert.Equal("user.ada_2Elovelace", PrivateTopics.Resolve("user.me", lovelace));
        Assert.Null(PrivateTopics.Resolve("user.me.*", null));
        Assert.Equal("user.meg.*", PrivateTopics.Resolve("user.meg.*", lovelace));
        Assert.Equal("user.me.inbox", PrivateTopics.Present("user.ada_2Elovelace.inbox", lovelace));
        Assert.Equal("user.ada.inbox", PrivateTopics.Present("user.ada.inbox", lovelace));
        Assert.Equal("user.ada.inbox", PrivateTopics.Present("user.ada.inbox", PrivateTopics.Segment("ad")));
    }

    [Fact]
    public async Task Sse_AdaNeverReceivesAdaLovelacesEvents_AndEachFollowsTheirOwn()
    {
        await using var host = await Start();
        var ada = await SignUpAsync(host, "ada");
        var lovelace = await SignUpAsync(host, "ada.lovelace");
        await using var adaMine = await SseClient.OpenAsync(host.Http, "/events?topics=user.me.*", Session(ada));
        await using var adaByName = await SseClient.OpenAsync(host.Http, "/events?topics=user.ada.*", Session(ada));
        await using var adaEverything = await SseClient.OpenAsync(host.Http, "/events?topics=user.*,*", Session(ada));
        await using var lovelaceMine = await SseClient.OpenAsync(host.Http, "/events?topics=user.me.*", Session(lovelace));

        await SendAsync(host, ada, "ada.lovelace", "for lovelace");
        await SendAsync(host, lovelace, "ada", "for ada");

        foreach (var stream in new[] { adaMine, adaByName, adaEverything })
        {
            var received = (await stream.NextAsync())!.Value;
            Assert.Equal("user.me.inbox", received.Topic);
            Assert.Equal("""{"from":"ada.lovelace","message":"for ada"}""", received.Data.GetRawText());
        }

        var hers = (await lovelaceMine.NextAsync())!.Value;
        Assert.Equal("user.me.inbox", hers.Topic);
        Assert.Equal("for lovelace", hers.Data.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Sse_OnlyTheOwnerMayFollowAPrivateTopic_AndAnonymousCannotSayMe()
    {
        await using var host = await Start();
        var ada = await SignUpAsync(host, "ada");
        var lovelace = await SignUpAsync(host, "ada.lovelace");

        await using var lovelaceOwn = await SseClient.OpenAsync(host.Http, "/events?topics=user.ada_2Elovelace.*", Session(lovelace));
        await using var adaOnHers = await SseClient.OpenAsync(host.Http, "/events?topics=user.ada_2Elovelace.*", Session(ada));
        await using var anonymousMe = await SseClient.OpenAsync(host.Http, "/events?topics=user.me.*");

        Assert.Equal(200, lovelaceOwn.StatusCode);
        Assert.Equal(403, adaOnHers.StatusCode);
        Assert.Equal(403, anonymousMe.StatusCode);
        Assert.Contains("Sign in", await anonymousMe.BodyAsync());
    }

    [Fact]
    public async Task WebSocket_AdaNeverReceivesAdaLovelacesEvents()
    {
        await using var host = await Start();
        var ada = await SignUpAsync(host, "ada");
        var lovelace = await SignUpAsync(host, "ada.lovelace");
        await using var adaSocket = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, $"/ws?session_id={ada}");
        await using var lovelaceSocket = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, $"/ws?session_id={lovelace}");
        await adaSocket.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["user.me.*","user.ada.*","user.*"],"id":1}""");
        await lovelaceSocket.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["user.me.*"],"id":1}""");
        Assert.Equal(1, (await adaSocket.ReceiveAsync())!.Value.GetProperty("id").GetInt32());
        Assert.Equal(1, (await lovelaceSocket.ReceiveAsync())!.Value.GetProperty("id").GetInt32());

        await SendAsync(host, ada, "ada.lovelace", "for lovelace");
        await SendAsync(host, lovelace, "ada", "for ada");

        var adaGot = (await adaSocket.ReceiveAsync())!.Value.GetProperty("params");
        var lovelaceGot = (await lovelaceSocket.ReceiveAsync())!.Value.GetProperty("params");
        Assert.Equal("user.me.inbox", adaGot.GetProperty("topic").GetString());
        Assert.Equal("for ada", adaGot.GetProperty("data").GetProperty("message").GetString());
        Assert.Equal("user.me.inbox", lovelaceGot.GetProperty("topic").GetString());
        Assert.Equal("for lovelace", lovelaceGot.GetProperty("data").GetProperty("message").GetString());
    }

    [Fact]
    public async Task WebSocket_AnonymousMayNotFollowMe_NorSomeoneElsesTopics()
    {
        await using var host = await Start();
        await SignUpAsync(host, "ada.lovelace");
        await using var anonymous = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await anonymous.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["user.me.*"],"id":1}""");
        var me = await anonymous.ReceiveAsync();
        await anonymous.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["user.ada_2Elovelace.*"],"id":2}""");
        var hers = await anonymous.ReceiveAsync();

        Assert.Equal(1004, me!.Value.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(1004, hers!.Value.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task AnEmailUserId_ReceivesAndSends_WithoutAnyError()
    {
        await using var host = await Start();
        var eve = await SignUpAsync(host, "eve@example.com");
        var ada = await SignUpAsync(host, "ada");
        await using var eveStream = await SseClient.OpenAsync(host.Http, "/events?topics=user.me.*", Session(eve));
        await using var adaStream = await SseClient.OpenAsync(host.Http, "/events?topics=user.me.*", Session(ada));

        await SendAsync(host, ada, "eve@example.com", "hello eve");
        await SendAsync(host, eve, "ada", "hello ada");

        Assert.Equal("hello eve", (await eveStream.NextAsync())!.Value.Data.GetProperty("message").GetString());
        Assert.Equal("eve@example.com", (await adaStream.NextAsync())!.Value.Data.GetProperty("from").GetString());
    }

    private static async Task<string> SignUpAsync(TesseraTestHost host, string userId) =>
        (await host.Toto.Fresh().CreateAccountAsync(userId, AuthHosts.Password)).Result.GetProperty("session_id").GetString()!;

    private static Action<HttpRequestMessage> Session(string sessionId) => r => r.Headers.Add("x-toto-session-id", sessionId);

    private static async Task SendAsync(TesseraTestHost host, string fromSession, string to, string message)
    {
        var client = host.Toto.Fresh();
        client.SessionId = fromSession;
        var response = await client.CallAsync("inbox.send", new { user_id = to, message });
        Assert.True(response.ErrorCode is null, response.Body);
    }
}
