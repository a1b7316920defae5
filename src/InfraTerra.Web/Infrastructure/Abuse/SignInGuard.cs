namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Failed officer sign-ins counted per client (under <see cref="ClientKeys"/>, by
/// <see cref="IClientCounters"/>: in Redis across the nodes when there is one, else in this node's
/// memory). After <c>RateLimits:SignInFailuresPerClient</c> failures in <see cref="Window"/>, whatever
/// the account, the client is refused without any password being checked. The limit is below
/// the account lockout, so one client can neither try passwords across many accounts nor lock
/// an officer out by guessing at a known address.
/// </summary>
public sealed class SignInGuard(IClientCounters counters, ClientKeys clients, IConfiguration configuration)
{
    public const int DefaultFailuresPerClient = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public int Limit => Math.Max(1, configuration.GetValue("RateLimits:SignInFailuresPerClient", DefaultFailuresPerClient));

    /// <summary>
    /// Counts the attempt as a failure before any password is checked, atomically (on every node at
    /// once with Redis), so that attempts sent in parallel cannot all pass the limit; false when the
    /// client is over it. A right password gives the attempt back (<see cref="SucceededAsync"/>).
    /// </summary>
    public async Task<bool> TryBeginAttemptAsync(HttpContext context, CancellationToken cancellationToken) =>
        await counters.TryIncrementBelowAsync(Key(context), Limit, Window, cancellationToken);

    public async Task SucceededAsync(HttpContext context, CancellationToken cancellationToken) =>
        await counters.DecrementAsync(Key(context), Window, cancellationToken);

    private string Key(HttpContext context) =>
        "sign-in-failures:" + clients.For(context);
}
