using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Retention;

/// <summary>
/// Once at start-up (a node that was down missed its days) and then daily at
/// <see cref="RetentionJobOptions.RetentionHour"/>: warns the holders of tips about to be deleted,
/// then deletes the expired ones.
/// </summary>
public sealed class RetentionJob(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<RetentionJobOptions> options, ILogger<RetentionJob> logger) : BackgroundService
{
    public static readonly AuditActor Actor = new(null, "retention job");

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RetentionEnabled)
        {
            return;
        }

        try
        {
            await RunLoggingFailuresAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(ScoreRefreshJob.DelayUntilNext(clock.GetUtcNow(), options.Value.RetentionHour), clock, stoppingToken);
                await RunLoggingFailuresAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunLoggingFailuresAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database that is down must not stop the web app: a batch is whole or not at all, and the next day's run catches up.
            logger.LogError(e, "The daily retention run failed");
        }
    }
}
