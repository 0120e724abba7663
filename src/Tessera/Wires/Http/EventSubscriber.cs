using Microsoft.AspNetCore.Http;
using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Events;

namespace Tessera.Wires.Http;

/// <summary>
/// A client opening a stream (SSE or WebSocket): who it is (from its session, which a browser may name with a
/// <c>session_id</c> query parameter) and which topic patterns it was allowed.
/// </summary>
internal sealed class EventSubscriber
{
    /// <summary>The most topic patterns one stream or socket may follow.</summary>
    public const int MaxPatterns = 100;

    private EventSubscriber(string? userId, IReadOnlyList<TopicPattern> patterns, (int StatusCode, string Message)? refusal)
    {
        UserId = userId;
        OwnSegment = PrivateTopics.SegmentOrNull(userId);
        Patterns = patterns;
        Refusal = refusal;
    }

    public string? UserId { get; }

    /// <summary>The signed-in user's private-topic segment, or null.</summary>
    public string? OwnSegment { get; }

    public IReadOnlyList<TopicPattern> Patterns { get; }

    public (int StatusCode, string Message)? Refusal { get; }

    /// <summary>Whether an event from the log is one this subscriber asked for and may see (for resuming).</summary>
    public bool Sees(EventMessage message) =>
        Patterns.Any(p => p.Matches(message.Topic)) && (PrivateTopics.OwnerOf(message.Topic) is not { } owner || owner == OwnSegment);

    /// <summary>The name this subscriber sees a topic under (its own private topics as <c>user.me…</c>).</summary>
    public string Present(string topic) => PrivateTopics.Present(topic, OwnSegment);

    /// <summary>
    /// Parses a requested pattern, resolving <c>user.me…</c> for the signed-in user, and asks the policy. Answers the
    /// pattern or why it was refused: 400 for a malformed pattern, 403 for one the caller may not follow.
    /// </summary>
    public static async ValueTask<(TopicPattern Pattern, (int StatusCode, string Message)? Refusal)> CheckAsync(
        string requested, string? userId, ITopicPolicy policy, HttpContext http)
    {
        if (PrivateTopics.Resolve(requested, PrivateTopics.SegmentOrNull(userId)) is not { } resolved)
        {
            return (default, (StatusCodes.Status403Forbidden, $"Sign in to follow '{requested}': user.me names the signed-in user's private topics."));
        }

        TopicPattern pattern;
        try
        {
            pattern = TopicPattern.Parse(resolved);
        }
        catch (ArgumentException exception)
        {
            return (default, (StatusCodes.Status400BadRequest, exception.Message.Split(" (Parameter")[0]));
        }

        return await policy.CanSubscribeAsync(resolved, userId, http)
            ? (pattern, null)
            : (default, (StatusCodes.Status403Forbidden, $"Not authorized to follow '{requested}'."));
    }

    /// <summary>The signed-in user of a stream's caller (resolved once for the whole stream or socket), or null.</summary>
    public static async ValueTask<string?> UserOfAsync(Caller caller, SessionManager? sessions)
    {
        if (sessions is null)
        {
            return null;
        }

        var load = await sessions.LoadAsync(caller, caller.Http.RequestAborted);
        return load.Session?.UserId;
    }

    /// <summary>
    /// Opens a subscription to <paramref name="requested"/>, a comma-separated list of topic patterns (blanks and
    /// repeats ignored), for the caller's user; the subscriber says why when it is refused.
    /// </summary>
    public static async ValueTask<EventSubscriber> OpenAsync(Caller caller, SessionManager? sessions, ITopicPolicy policy, string requested)
    {
        var texts = DistinctTopics(requested);
        if (texts.Count == 0)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Name the topics to follow: /events?topics=chat.message,news.*");
        }

        if (texts.Count > MaxPatterns)
        {
            return Refuse(StatusCodes.Status400BadRequest, $"Follow at most {MaxPatterns} topic patterns per stream.");
        }

        var userId = await UserOfAsync(caller, sessions);
        var patterns = new TopicPattern[texts.Count];
        for (var i = 0; i < patterns.Length; i++)
        {
            var (pattern, refusal) = await CheckAsync(texts[i], userId, policy, caller.Http);
            if (refusal is { } refused)
            {
                return Refuse(refused.StatusCode, refused.Message);
            }

            patterns[i] = pattern;
        }

        return new EventSubscriber(userId, patterns, null);
    }

    // A loop rather than Split, Select, Where, Distinct and ToList: those were a third of what opening a stream
    // allocated in Tessera, and a stream names one or two topics. It stops one past the most allowed, so a hostile
    // list of thousands costs no more than that.
    private static List<string> DistinctTopics(string requested)
    {
        var texts = new List<string>(1);
        foreach (var range in requested.AsSpan().Split(','))
        {
            var text = requested.AsSpan(range).Trim();
            if (text.Length > 0 && !Contains(texts, text))
            {
                texts.Add(text.ToString());
                if (texts.Count > MaxPatterns)
                {
                    break;
                }
            }
        }

        return texts;
    }

    private static bool Contains(List<string> texts, ReadOnlySpan<char> text)
    {
        foreach (var existing in texts)
        {
            if (text.SequenceEqual(existing))
            {
                return true;
            }
        }

        return false;
    }

    private static EventSubscriber Refuse(int statusCode, string message) => new(null, [], (statusCode, message));
}
