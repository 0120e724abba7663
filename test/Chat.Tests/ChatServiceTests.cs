using System.Diagnostics;
using System.Net.Http.Json;

namespace Chat.Tests;

public sealed class ChatServiceTests
{
    [Fact]
    public async Task LongPoll_ReceiveMessage_AnswersTheNextPost()
    {
        await using var chat = await ChatService.StartAsync();
        using var client = chat.Client();
        var ada = await ChatService.CreateAccountAsync(client, "ada");

        using var receive = new HttpRequestMessage(HttpMethod.Post, "/chat/receive_message") { Content = JsonContent.Create(new { }) };
        receive.Headers.Add("x-toto-session-id", ada);
        var waiting = client.SendAsync(receive);
        await Task.Delay(300);
        await ChatService.PostAsync(client, ada, "anyone there?");
        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(15));

        var result = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
        Assert.Equal("""{"user_id":"ada","message":"anyone there?"}""", result.GetRawText());
    }

    [Fact]
    public async Task TwoProcessesSharingOneSqliteFile_DeliverEachOthersEvents()
    {
        var directory = Directory.CreateTempSubdirectory("tessera-chat-");
        var database = $"--db_connection=Data Source={Path.Combine(directory.FullName, "chat.db")}";
        try
        {
            await using var a = await ChatService.StartAsync(database);
            await using var b = await ChatService.StartAsync(database);
            using var clientA = a.Client();
            using var clientB = b.Client();
            var ada = await ChatService.CreateAccountAsync(clientA, "ada");
            await using var onB = await SseClient.OpenAsync(clientB, "/events?topics=chat.message", r => r.Headers.Add("x-toto-session-id", ada));

            await ChatService.PostAsync(clientA, ada, "posted on A");
            var received = await onB.NextAsync(TimeSpan.FromSeconds(15));

            Assert.Equal("chat.message", received!.Value.Topic);
            Assert.Equal("posted on A", received.Value.Data.GetProperty("message").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [NeedsToolFact("node")]
    public async Task NodeWsClient_CallsAMethodAndReceivesAPushedEvent()
    {
        await ExternalTool.EnsureNodePackagesAsync();
        await using var chat = await ChatService.StartAsync();
        using var client = chat.Client();
        var ada = await ChatService.CreateAccountAsync(client, "ada");
        var start = new ProcessStartInfo("node", ["ws-client.js", $"ws://127.0.0.1:{chat.Port}/ws?session_id={ada}", "chat.*"])
        {
            WorkingDirectory = ExternalTool.InteropFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var errors = node.StandardError.ReadToEndAsync();

        // Failure messages read node's stderr only on failure: awaiting it would wait for node to exit.
        var first = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first != "subscribed")
        {
            Assert.Fail($"node said '{first}': {await errors.WaitAsync(TimeSpan.FromSeconds(30))}");
        }

        await ChatService.PostAsync(client, ada, "to the socket");
        var line = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null)
        {
            Assert.Fail($"node printed no event: {await errors.WaitAsync(TimeSpan.FromSeconds(30))}\nserver:\n{chat.Output}");
        }

        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var report = JsonDocument.Parse(line).RootElement;
        Assert.Equal("Chat", report.GetProperty("call").GetProperty("result").GetProperty("name").GetString());
        Assert.Equal("chat.message", report.GetProperty("event").GetProperty("topic").GetString());
        Assert.Equal("""{"user_id":"ada","message":"to the socket"}""", report.GetProperty("event").GetProperty("data").GetRawText());
    }
}
