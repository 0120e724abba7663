namespace Tessera.Testing;

/// <summary>A clock that stands still until a test moves it, for stores, sessions and signatures that take a <see cref="TimeProvider"/>.</summary>
/// <param name="start">The time it starts at.</param>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => _now += by;
}
