using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Retention;

/// <summary>
/// Daily at <see cref="RetentionJobOptions.RetentionHour"/> (and at once when the last run is older than
/// the latest such hour): warns the holders of tips about to be deleted, then deletes the expired ones.
/// Runs on one node at a time (<see cref="JobScheduler"/>). Each tip's warnings commit whole, and each
/// purge batch in one transaction: a run cut short leaves whole batches deleted and the rest to the next run.
/// </summary>
public sealed class RetentionJob(
    IServiceScopeFactory scopes, IOptions<RetentionJobOptions> options, ILogger<RetentionJob> logger) : IScheduledJob
{
    public static readonly AuditActor Actor = new(null, "retention job");

    public string Name => "retention";
    public bool Enabled => options.Value.RetentionEnabled;
    public JobSchedule Schedule => new JobSchedule.Daily(options.Value.RetentionHour);

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var (warnings, purge) = await RunOnceAsync(cancellationToken);
        return $"{warnings} warning(s) added, {purge.Total} tip(s) deleted";
    }

    /// <summary>One run, as the schedule makes it: the warnings added, and what the purge deleted.</summary>
    public async Task<(int Warnings, RetentionPurge.Result Purge)> RunOnceAsync(CancellationToken cancellationToken)
    {
        int warnings;
        await using (var scope = scopes.CreateAsyncScope())
        {
            warnings = await scope.ServiceProvider.GetRequiredService<RetentionWarnings>().RunOnceAsync(cancellationToken);
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var purge = await scope.ServiceProvider.GetRequiredService<RetentionPurge>().RunAsync(Actor, dryRun: false, cancellationToken);
            logger.LogInformation("Retention: {Warnings} warning(s) added, {Deleted} tip(s) deleted", warnings, purge.Total);
            return (warnings, purge);
        }
    }
}
