using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Soak;

/// <summary>
/// Every wire at once for a fixed time: calls over the Toto envelope, URL GET, JSON-RPC (single and batch), Toto batches,
/// XML-RPC, MessagePack and WebSocket; authenticated state writes; logins and logouts; events to SSE and WebSocket
/// subscribers that connect, wait for their event and leave. Every answer is checked.
/// </summary>
internal sealed class MixedWorkload(Service service, Tally tally)
{
    private const string Password = "soak-password-1";
    private readonly List<(string User, string Session)> _accounts = [];

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 8; i++)
        {
            var user = $"soak-{run}-{i}";
            var created = await service.TotoAsync("account.create", new JsonObject { ["user_id"] = user, ["password"] = Password }, cancellationToken: cancellationToken);
            _accounts.Add((user, (string)created!["session_id"]!));
        }
    }

    /// <summary>Runs the workers until <paramref name="stopping"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stopping) => Task.WhenAll(
        Loop("toto", s => service.HelloEnvelopeAsync("ada", s), stopping),
        Loop("get", s => service.HelloGetAsync("grace", s), stopping),
        Loop("jsonrpc", s => service.HelloJsonRpcAsync("alan", s), stopping),
        Loop("xmlrpc", s => service.HelloXmlRpcAsync("edsger", s), stopping),
        Loop("msgpack", service.HelloMessagePackAsync, stopping),
        Loop("toto_batch", service.TotoBatchAsync, stopping),
        Loop("jsonrpc_batch", service.JsonRpcBatchAsync, stopping),
        WebSocketCallsAsync(stopping),
        CounterAsync(_accounts[0].Session, stopping),
        CounterAsync(_accounts[1].Session, stopping),
        Loop("login_logout", LoginLogoutAsync, stopping),
        Loop("sse_subscriber", SseAnnouncementAsync, stopping),
        Loop("sse_private", SsePrivateAsync, stopping),
        Loop("ws_subscriber", WebSocketSubscriberAsync, stopping));

    private async Task Loop(string kind, Func<CancellationToken, Task> operation, CancellationToken stopping)
    {
        await Task.Yield();
        if (!Enabled(kind))
        {
            return;
        }

        while (!stopping.IsCancellationRequested)
        {
            await tally.RunAsync(kind, () => operation(stopping), stopping);
        }
    }

    /// <summary>SOAK_ONLY=kind,kind runs only those kinds: for finding which part of the mix costs what.</summary>
    private static bool Enabled(string kind) =>
        Environment.GetEnvironmentVariable("SOAK_ONLY") is not { } only || only.Split(',').Contains(kind);

    /// <summary>A socket makes 200 calls, then closes and a new one opens: sockets come and go all run long.</summary>
    private async Task WebSocketCallsAsync(CancellationToken stopping)
    {
        await Task.Yield();
        while (Enabled("websocket_call") && !stopping.IsCancellationRequested)
        {
            try
            {
                using var socket = await service.ConnectWebSocketAsync(null, stopping);
                for (var i = 0; i < 200 && !stopping.IsCancellationRequested; i++)
                {
                    await tally.RunAsync("websocket_call", async () =>
                    {
                        await Service.SendAsync(socket, $$"""{"jsonrpc":"2.0","method":"greeting.hello","params":["ws{{i}}"],"id":{{i}}}""", stopping);
                        var answer = await Service.ReceiveAsync(socket, stopping);
                        Service.Expect(answer["result"], $"hello ws{i}");
                    }, stopping);
                    // A round trip on an open socket is so cheap that, unpaced, this one worker would be most of the load.
                    await Task.Delay(1, stopping);
                }

                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", stopping);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                tally.Error("websocket_call", "connect/close: " + e.Message);
            }
        }
    }

    /// <summary>One writer per session, so every increment must answer exactly one more than the last.</summary>
    private async Task CounterAsync(string session, CancellationToken stopping)
    {
        await Task.Yield();
        if (!Enabled("counter_increment"))
        {
            return;
        }

        var last = (int?)(await service.TotoAsync("counter.increment", [], session, stopping))!["count"] ?? 0;
        while (!stopping.IsCancellationRequested)
        {
            await tally.RunAsync("counter_increment", async () =>
            {
                var count = (int)(await service.TotoAsync("counter.increment", [], session, stopping))!["count"]!;
                if (count != last + 1)
                {
                    throw new SoakException($"count went from {last} to {count}");
                }

                last = count;
            }, stopping);
        }
    }

    /// <summary>Signs in, uses the new session, signs out, and checks the session is dead.</summary>
    private async Task LoginLogoutAsync(CancellationToken stopping)
    {
        var user = _accounts[2 + Random.Shared.Next(3)].User;
        var login = await service.TotoAsync("account.login", new JsonObject { ["user_id"] = user, ["password"] = Password }, cancellationToken: stopping);
        var session = (string)login!["session_id"]!;
        await service.TotoAsync("counter.increment", [], session, stopping);
        await service.TotoAsync("account.logout", [], session, stopping);
        var refused = await service.TotoErrorAsync("counter.increment", [], session, stopping);
        if ((int?)refused["code"] is not 1004)
        {
            throw new SoakException("a call after logout: " + refused.ToJsonString());
        }
    }

    /// <summary>An anonymous SSE subscriber: subscribes, has an announcement posted, must receive it, stays a moment, leaves.</summary>
    private async Task SseAnnouncementAsync(CancellationToken stopping)
    {
        var text = "a-" + Guid.NewGuid().ToString("N");
        await using var events = await SseStream.OpenAsync(service, "/events?topics=announcements", null, stopping);
        await service.TotoAsync("announcement.post", new JsonObject { ["text"] = text }, _accounts[5].Session, stopping);
        await events.WaitForAsync(text, stopping);
        await Task.Delay(Random.Shared.Next(500), stopping);
    }

    /// <summary>A signed-in SSE subscriber to its private topic: only its inbox message arrives.</summary>
    private async Task SsePrivateAsync(CancellationToken stopping)
    {
        var (recipient, session) = _accounts[6];
        var text = "p-" + Guid.NewGuid().ToString("N");
        await using var events = await SseStream.OpenAsync(service, "/events?topics=user.me.*", session, stopping);
        await service.TotoAsync("inbox.send", new JsonObject { ["user_id"] = recipient, ["message"] = text }, _accounts[7].Session, stopping);
        await events.WaitForAsync(text, stopping);
    }

    /// <summary>A WebSocket subscriber: subscribes, an announcement is posted over HTTP, the event must arrive on the socket.</summary>
    private async Task WebSocketSubscriberAsync(CancellationToken stopping)
    {
        using var socket = await service.ConnectWebSocketAsync(_accounts[5].Session, stopping);
        await Service.SendAsync(socket, """{"jsonrpc":"2.0","method":"events.subscribe","params":{"topics":["announcements"]},"id":1}""", stopping);
        var subscribed = await Service.ReceiveAsync(socket, stopping);
        if (subscribed["error"] is not null)
        {
            throw new SoakException("events.subscribe: " + subscribed.ToJsonString());
        }

        var text = "w-" + Guid.NewGuid().ToString("N");
        await service.TotoAsync("announcement.post", new JsonObject { ["text"] = text }, _accounts[5].Session, stopping);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await Service.ReceiveAsync(socket, timeout.Token);
            if ((string?)message["method"] == "event" && (string?)message["params"]?["data"]?["text"] == text)
            {
                break;
            }
        }

        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", stopping);
    }
}
