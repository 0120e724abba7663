using System.Collections.Concurrent;

namespace Tessera.Auth.Mail;

/// <summary>At most one mail a minute per account and purpose, so nobody can flood a mailbox through the service.</summary>
internal sealed class MailCooldown(TimeProvider time)
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastMailed = new(StringComparer.Ordinal);

    public bool MayMail(string key)
    {
        var now = time.GetUtcNow();
        if (_lastMailed.Count > 10_000)
        {
            foreach (var (old, at) in _lastMailed)
            {
                if (at + Cooldown <= now)
                {
                    _lastMailed.TryRemove(old, out _);
                }
            }
        }

        var allowed = false;
        _lastMailed.AddOrUpdate(
            key,
            _ =>
            {
                allowed = true;
                return now;
            },
            (_, last) =>
            {
                allowed = last + Cooldown <= now;
                return allowed ? now : last;
            });
        return allowed;
    }
}
