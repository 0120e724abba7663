using Tessera;

namespace HelloService;

/// <summary>
/// Callable as <c>inbox.send</c>: a signed-in user sends a private message that only the recipient receives, on
/// their <c>user.me.inbox</c> topic (SSE: <c>/events?topics=user.me.*</c>; WebSocket: <c>events.subscribe</c>).
/// </summary>
public sealed class Inbox(IEventBus events)
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="userId"/> and answers the event's id.</summary>
    /// <param name="account">The signed-in sender.</param>
    /// <param name="userId">Who receives the message.</param>
    /// <param name="message">The text.</param>
    /// <param name="cancellationToken">Cancelled when the caller leaves.</param>
    [Method]
    [Authenticated]
    [Publishes("user.me.inbox", PayloadType = typeof(InboxMessage))]
    public async Task<long> Send(Account account, string userId, string message, CancellationToken cancellationToken)
    {
        var published = await events.PublishToUserAsync(userId, "inbox", new InboxMessage(account.UserId, message), cancellationToken);
        return published.Id;
    }
}

/// <summary>What a recipient receives: who sent it and the text.</summary>
public sealed record InboxMessage(string From, string Message);
