using System.Collections.Concurrent;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// One solved check, one form: a solution is claimed by the form (its idempotency key) that first
/// passes with it, atomically, so parallel requests cannot share it; a double click or a retry of
/// that same form (after a 503 or a 429, which keep its key) still passes. Held in memory: on
/// several nodes a bot could reuse a solution once per node, which the hourly limit bounds.
/// </summary>
public sealed class OneTimeUse(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Claim> _claims = new(StringComparer.Ordinal);

    public bool TryClaim(string id, string owner, DateTimeOffset expires)
    {
        Forget();
        var claim = _claims.GetOrAdd(id, new Claim(owner, expires));
        return claim.Owner == owner;
    }

    private void Forget()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, claim) in _claims)
        {
            if (claim.Expires < now)
            {
                _claims.TryRemove(id, out _);
            }
        }
    }

    private sealed record Claim(string Owner, DateTimeOffset Expires);
}
