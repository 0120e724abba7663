using Tessera;

namespace HelloService;

/// <summary>Callable as <c>announcement.post</c>: a signed-in user tells every subscriber of <c>announcements</c>.</summary>
public sealed class Announcements(IEventBus events)
{
    /// <summary>Publishes the text on the <c>announcements</c> topic and answers the event's id.</summary>
    [Method("announcement.post")]
    [Publishes("announcements", PayloadType = typeof(Announcement))]
    [Authenticated]
    public async Task<long> Post(Account account, string text, CancellationToken cancellationToken)
    {
        var published = await events.PublishAsync("announcements", new Announcement(account.UserId, text), cancellationToken);
        return published.Id;
    }
}

public sealed record Announcement(string From, string Text);
