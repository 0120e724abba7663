using System.Net.Http.Json;

namespace Chat.Tests;

/// <summary>The Chat sample as a real process, with its page, on 127.0.0.1.</summary>
public static class ChatService
{
    public static string ContentRoot => Path.Combine(ExternalTool.RepositoryRoot, "samples", "Chat");

    public static Task<ServiceProcess> StartAsync(params string[] args) =>
        ServiceProcess.StartAsync("Chat", ["--contentRoot=" + ContentRoot, .. args.Length == 0 ? ["--database=memory"] : args]);

    /// <summary>Creates an account and answers its session id.</summary>
    public static async Task<string> CreateAccountAsync(HttpClient client, string userId)
    {
        using var response = await client.PostAsJsonAsync("/", new { method = "account.create", parameters = new { user_id = userId, password = "chat-password-1" } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("result").GetProperty("session_id").GetString()!;
    }

    public static async Task PostAsync(HttpClient client, string sessionId, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/post_message") { Content = JsonContent.Create(new { message }) };
        request.Headers.Add("x-toto-session-id", sessionId);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"error\"", body);
    }
}
