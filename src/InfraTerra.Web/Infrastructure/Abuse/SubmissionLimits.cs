using System.Threading.RateLimiting;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// How many tips one client may send per hour. Checked inside the form handler rather than by
/// middleware, so a refused tipster gets the form back with everything they typed.
/// </summary>
public sealed class SubmissionLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SubmissionLimits(IConfiguration configuration)
    {
        PerHour = Math.Max(1, configuration.GetValue("RateLimits:TipSubmissionsPerHour", 30));
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(
            client, _ => new FixedWindowRateLimiterOptions { PermitLimit = PerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
    }

    public int PerHour { get; }

    public bool TryAcquire(string clientKey)
    {
        using var lease = _limiter.AttemptAcquire(clientKey);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
