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

    public bool IsBlocked(HttpContext context) => cache.Get<int>(CacheKey(context)) >= Limit;

    public void RecordFailure(HttpContext context)
    {
        var key = CacheKey(context);
        lock (_gate)
        {
            cache.Set(key, cache.Get<int>(key) + 1, Window);
        }
    }

    private string CacheKey(HttpContext context) => "sign-in-failures:" + clients.For(context);
}
