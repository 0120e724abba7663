using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Tessera;

namespace ChatService;

/// <summary>Callable as <c>chat.post_message</c> and <c>chat.receive_message</c>.</summary>
public sealed class ChatMethods(IEventBus events)
{
    /// <summary>The topic messages travel on; the page follows it at <c>/events?topics=chat.message</c>.</summary>
    public const string Topic = "chat.message";

    /// <summary>Posts a message to everyone following the chat.</summary>
    /// <param name="message">The text, 1 to 500 characters.</param>
    [Method]
    [Authenticated]
    [Publishes(Topic, PayloadType = typeof(ChatMessage))]
    public async Task PostMessage([StringLength(500, MinimumLength = 1)] string message, Account account, CancellationToken cancellationToken) =>
        await events.PublishAsync(Topic, new ChatMessage(account.UserId, message), cancellationToken);

    /// <summary>Waits up to 30 seconds for the next message (long-poll, for clients without SSE); null when none came.</summary>
    [Method]
    [Authenticated]
    public async Task<JsonElement?> ReceiveMessage(CancellationToken cancellationToken) =>
        (await events.WaitAsync(Topic, TimeSpan.FromSeconds(30), cancellationToken))?.Data;
}

/// <summary>What travels on <c>chat.message</c>: <c>{"user_id", "message"}</c>.</summary>
public sealed record ChatMessage(string UserId, string Message);
