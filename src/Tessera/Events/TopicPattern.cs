namespace Tessera.Events;

/// <summary>
/// Topics are dot-separated names of letters, digits, <c>_</c> and <c>-</c>. A pattern is a topic, a topic prefix
/// followed by <c>.*</c> (every topic below it), or <c>*</c> (every topic).
/// </summary>
internal readonly struct TopicPattern
{
    /// <summary>Long enough for a private topic of a user id of any allowed length.</summary>
    public const int MaxLength = 2000;

    private readonly string _prefix;
    private readonly bool _all;
    private readonly bool _wildcard;

    private TopicPattern(string pattern)
    {
        Text = pattern;
        _all = pattern == "*";
        _wildcard = !_all && pattern.EndsWith(".*", StringComparison.Ordinal);
        _prefix = _wildcard ? pattern[..^1] : pattern;
    }

    public string Text { get; }

    public static TopicPattern Parse(string pattern) =>
        pattern == "*" || IsTopic(pattern.EndsWith(".*", StringComparison.Ordinal) ? pattern[..^2] : pattern)
            ? new TopicPattern(pattern)
            : throw new ArgumentException(
                $"'{pattern}' is not a topic pattern: use dot-separated names of letters, digits, '_' and '-', optionally ending in '.*', or '*'.",
                nameof(pattern));

    public bool Matches(string topic) =>
        _all || (_wildcard ? topic.StartsWith(_prefix, StringComparison.Ordinal) : topic == _prefix);

    public static bool IsTopic(string topic)
    {
        if (topic.Length is 0 or > MaxLength || topic[0] == '.' || topic[^1] == '.' || topic.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in topic)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
