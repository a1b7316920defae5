using Microsoft.Extensions.Caching.Memory;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Receipt look-ups are the one place a guesser could try codes. After
/// <see cref="FreeFailures"/> wrong codes from one client, each further answer is slowed
/// (doubling, up to <see cref="MaxDelay"/>); after <c>FollowUp:BlockAfterFailures</c> (default
/// <see cref="DefaultBlockAfter"/>) the client is refused until the window passes. Counters live in memory under <see cref="ClientKeys"/>, nothing else.
/// </summary>
public sealed class FollowUpGuard(IMemoryCache cache, ClientKeys clients, IConfiguration configuration)
{
    public const int FreeFailures = 5;
    public const int DefaultBlockAfter = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(16);

    private double DelayScale => configuration.GetValue("FollowUp:FailureDelayScale", 1.0);

    public int BlockAfter => Math.Max(FreeFailures + 1, configuration.GetValue("FollowUp:BlockAfterFailures", DefaultBlockAfter));

    public bool IsBlocked(HttpContext context) => Failures(context) >= BlockAfter;

    public async Task RecordFailureAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var key = CacheKey(context);
        var failures = cache.Get<int>(key) + 1;
        cache.Set(key, failures, Window);
        if (failures > FreeFailures)
        {
            var seconds = Math.Min(Math.Pow(2, failures - FreeFailures - 1), MaxDelay.TotalSeconds);
            await Task.Delay(TimeSpan.FromSeconds(seconds * DelayScale), cancellationToken);
        }
    }

    public int Failures(HttpContext context) => cache.Get<int>(CacheKey(context));

    private string CacheKey(HttpContext context) => "follow-up-failures:" + clients.For(context);
}
