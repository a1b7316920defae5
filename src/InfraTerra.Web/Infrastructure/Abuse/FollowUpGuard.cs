namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Receipt look-ups are the one place a guesser could try codes. After
/// <see cref="FreeFailures"/> wrong codes from one client, each further answer is slowed
/// (doubling, up to <see cref="MaxDelay"/>); after <c>FollowUp:BlockAfterFailures</c> (default
/// <see cref="DefaultBlockAfter"/>) the client is refused until the window passes. Counters are kept
/// under <see cref="ClientKeys"/>, nothing else, by <see cref="IClientCounters"/>: in Redis, counted by
/// every node together, when there is one; else in this node's memory.
/// </summary>
public sealed class FollowUpGuard(IClientCounters counters, ClientKeys clients, IConfiguration configuration)
{
    public const int FreeFailures = 5;
    public const int DefaultBlockAfter = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(16);

    private double DelayScale => configuration.GetValue("FollowUp:FailureDelayScale", 1.0);

    public int BlockAfter => Math.Max(FreeFailures + 1, configuration.GetValue("FollowUp:BlockAfterFailures", DefaultBlockAfter));

    public async Task<bool> IsBlockedAsync(HttpContext context, CancellationToken cancellationToken) =>
        await FailuresAsync(context, cancellationToken) >= BlockAfter;

    public async Task RecordFailureAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var failures = await counters.IncrementAsync(Key(context), Window, cancellationToken);
        if (failures > FreeFailures)
        {
            var seconds = Math.Min(Math.Pow(2, failures - FreeFailures - 1), MaxDelay.TotalSeconds);
            await Task.Delay(TimeSpan.FromSeconds(seconds * DelayScale), cancellationToken);
        }
    }

    public async Task<long> FailuresAsync(HttpContext context, CancellationToken cancellationToken) =>
        await counters.GetAsync(Key(context), cancellationToken);

    private string Key(HttpContext context) =>
        "follow-up-failures:" + clients.For(context);
}
