using System.Text;

namespace Tessera.Events;

/// <summary>
/// A user's private topics are <c>user.{segment}</c> and <c>user.{segment}.*</c>, where the segment is the user id
/// encoded so that it is one topic segment whatever the id holds: ASCII letters, digits and <c>-</c> stay as they are,
/// every other ASCII character becomes <c>_XX</c> (its hex code) and every other UTF-16 unit <c>_uXXXX</c>. The
/// encoding is injective (<c>_</c> always starts an escape), so no id can prefix-match another's topics:
/// <c>ada</c> is <c>user.ada</c>, <c>ada.lovelace</c> is <c>user.ada_2Elovelace</c>. A subscriber names its own private
/// topics <c>user.me.*</c> and receives them under that name; the id <c>me</c> itself is encoded as <c>_6De</c>.
/// </summary>
internal static class PrivateTopics
{
    public const string Prefix = "user.";
    public const string Me = "me";
    private const string MePrefix = Prefix + Me;

    /// <summary>The one-segment form of <paramref name="userId"/>.</summary>
    public static string Segment(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (userId != Me && userId.AsSpan().IndexOfAnyExcept(Plain) < 0)
        {
            return userId;
        }

        var segment = new StringBuilder(userId.Length + 8);
        for (var i = 0; i < userId.Length; i++)
        {
            var c = userId[i];
            if (Plain.Contains(c) && !(i == 0 && userId == Me))
            {
                segment.Append(c);
            }
            else if (char.IsAscii(c))
            {
                segment.Append('_').Append(((int)c).ToString("X2"));
            }
            else
            {
                segment.Append("_u").Append(((int)c).ToString("X4"));
            }
        }

        return segment.ToString();
    }

    /// <summary>The topic <paramref name="name"/> (itself a topic, such as <c>inbox</c>) private to <paramref name="userId"/>.</summary>
    public static string For(string userId, string name)
    {
        var topic = $"{Prefix}{Segment(userId)}.{name}";
        return TopicPattern.IsTopic(name) && TopicPattern.IsTopic(topic)
            ? topic
            : throw new ArgumentException($"'{name}' is not a topic name: use dot-separated names of letters, digits, '_' and '-'.", nameof(name));
    }

    /// <summary>The owner segment of a <c>user.{segment}</c> or <c>user.{segment}.*</c> topic or pattern, or null.</summary>
    public static string? OwnerOf(string topic)
    {
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = topic.IndexOf('.', Prefix.Length);
        var owner = end < 0 ? topic[Prefix.Length..] : topic[Prefix.Length..end];
        return owner is "" or "*" ? null : owner;
    }

    /// <summary>True for <c>user.me</c> and everything below it.</summary>
    public static bool IsMine(string pattern) =>
        pattern.StartsWith(MePrefix, StringComparison.Ordinal) && (pattern.Length == MePrefix.Length || pattern[MePrefix.Length] == '.');

    /// <summary>
    /// <c>user.me…</c> rewritten for the signed-in user whose segment is <paramref name="ownSegment"/>; other patterns as
    /// they are. Null when the pattern names <c>user.me</c> and nobody is signed in.
    /// </summary>
    public static string? Resolve(string pattern, string? ownSegment) =>
        !IsMine(pattern) ? pattern
        : ownSegment is null ? null
        : string.Concat(Prefix, ownSegment, pattern.AsSpan(MePrefix.Length));

    /// <summary>The name a subscriber sees a topic under: its own private topics as <c>user.me…</c>.</summary>
    public static string Present(string topic, string? ownSegment)
    {
        if (ownSegment is null || !topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return topic;
        }

        var rest = topic.AsSpan(Prefix.Length);
        return rest.StartsWith(ownSegment, StringComparison.Ordinal) && (rest.Length == ownSegment.Length || rest[ownSegment.Length] == '.')
            ? string.Concat(MePrefix, rest[ownSegment.Length..])
            : topic;
    }

    /// <summary>The segment of a signed-in user, null for anonymous callers.</summary>
    public static string? SegmentOrNull(string? userId) => string.IsNullOrEmpty(userId) ? null : Segment(userId);

    private static readonly System.Buffers.SearchValues<char> Plain =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
}
