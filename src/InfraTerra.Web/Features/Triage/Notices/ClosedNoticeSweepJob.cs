using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Notices;

/// <summary>The <c>Jobs</c> settings of the closed-notice sweep.</summary>
public sealed class ClosedNoticeSweepOptions
{
    public bool ClosedNoticeSweepEnabled { get; set; } = true;

    /// <summary>
    /// How often, in minutes. An hour on purpose: the sweep closes a tip soon after it arrived and that
    /// closing time is exact (officer side), so a shorter period would tell a tip's arrival more precisely
    /// than the hour tipster times are kept to (ADR 0005).
    /// </summary>
    public int ClosedNoticeSweepMinutes { get; set; } = 60;
}

/// <summary>
/// Runs <see cref="NoticeStatusChanges.SweepAsync"/> every <see cref="ClosedNoticeSweepOptions.ClosedNoticeSweepMinutes"/>,
/// on one node at a time (<see cref="JobScheduler"/>). Each batch of tips is closed with its audit records
/// in one transaction: a run cut short leaves whole batches closed, and the next run closes the rest.
/// </summary>
public sealed class ClosedNoticeSweepJob(
    IServiceScopeFactory scopes, IOptions<ClosedNoticeSweepOptions> options, ILogger<ClosedNoticeSweepJob> logger) : IScheduledJob
{
    public string Name => "closed-notice-sweep";
    public bool Enabled => options.Value.ClosedNoticeSweepEnabled;
    public JobSchedule Schedule => new JobSchedule.Every(TimeSpan.FromMinutes(options.Value.ClosedNoticeSweepMinutes));

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var closed = await scope.ServiceProvider.GetRequiredService<NoticeStatusChanges>().SweepAsync(cancellationToken);
        if (closed > 0)
        {
            logger.LogInformation("Closed-notice sweep: {Count} tip(s) closed", closed);
        }

        return $"{closed} tip(s) closed";
    }
}
