using System.Collections.Concurrent;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// Remembers solved checks until they expire, so that one solved check sends one tip. Held in
/// memory: on several nodes a bot could reuse a solution once per node, which the hourly limit bounds.
/// </summary>
public sealed class OneTimeUse(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    public bool WasUsed(string id) => _used.ContainsKey(id);

    public void MarkUsed(string id, DateTimeOffset expires)
    {
        var now = clock.GetUtcNow();
        foreach (var (old, until) in _used)
        {
            if (until < now)
            {
                _used.TryRemove(old, out _);
            }
        }

        _used.TryAdd(id, expires);
    }
}
