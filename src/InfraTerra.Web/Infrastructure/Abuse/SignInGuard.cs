using Microsoft.Extensions.Caching.Memory;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Failed officer sign-ins counted per client (under <see cref="ClientKeys"/>, in memory only).
/// After <c>RateLimits:SignInFailuresPerClient</c> failures in <see cref="Window"/>, whatever
/// the account, the client is refused without any password being checked. The limit is below
/// the account lockout, so one client can neither try passwords across many accounts nor lock
/// an officer out by guessing at a known address.
/// </summary>
public sealed class SignInGuard(IMemoryCache cache, ClientKeys clients, IConfiguration configuration)
{
    public const int DefaultFailuresPerClient = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly Lock _gate = new();

    public int Limit => Math.Max(1, configuration.GetValue("RateLimits:SignInFailuresPerClient", DefaultFailuresPerClient));

    /// <summary>
    /// Counts the attempt as a failure before any password is checked, atomically, so that attempts
    /// sent in parallel cannot all pass the limit; false when the client is over it. A right
    /// password gives the attempt back (<see cref="Succeeded"/>).
    /// </summary>
    public bool TryBeginAttempt(HttpContext context)
    {
        var key = CacheKey(context);
        lock (_gate)
        {
            var failures = cache.Get<int>(key);
            if (failures >= Limit)
            {
                return false;
            }

            cache.Set(key, failures + 1, Window);
            return true;
        }
    }

    public void Succeeded(HttpContext context)
    {
        var key = CacheKey(context);
        lock (_gate)
        {
            if (cache.Get<int>(key) is > 0 and var failures)
            {
                cache.Set(key, failures - 1, Window);
            }
        }
    }

    private string CacheKey(HttpContext context) => "sign-in-failures:" + clients.For(context);
}
