using System.Diagnostics;
using InfraTerra.Web.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Infrastructure.Jobs;

/// <summary>
/// The one background loop of scheduled work on each node. Every <see cref="JobsOptions.PollSeconds"/>
/// (or a job's shorter period) it reads the <see cref="Domain.JobLease"/> rows, and for each enabled job
/// that is due and not held, takes its lease (<see cref="JobLeaseStore.TryTakeAsync"/>: one node wins),
/// runs it while renewing the lease, and records the completion. A failed run releases the lease and
/// stays due; a node that dies mid-run leaves its lease to lapse, then another node runs the job.
/// Jobs run side by side, each at most once at a time on this node.
/// </summary>
public sealed class JobScheduler(
    IEnumerable<IScheduledJob> jobs, JobLeaseStore leases, IOptions<JobsOptions> options, TimeProvider clock, AppMetrics metrics, ILogger<JobScheduler> logger)
    : BackgroundService
{
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>The scheduler's period: the poll, or the shortest enabled job period if shorter.</summary>
    public static TimeSpan TickFor(IEnumerable<IScheduledJob> enabled, TimeSpan poll) =>
        enabled.Select(j => j.Schedule).OfType<JobSchedule.Every>().Select(e => e.Period)
            .Where(p => p >= TimeSpan.FromSeconds(1)).Append(poll).Min();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var enabled = jobs.Where(j => j.Enabled).ToList();
        if (enabled.Count == 0)
        {
            return;
        }

        var tick = TickFor(enabled, options.Value.Poll);
        logger.LogInformation("Scheduled jobs on node {Node}: {Jobs}, looked at every {Seconds} s", leases.Holder, string.Join(", ", enabled.Select(j => j.Name)), tick.TotalSeconds);
        using var timer = new PeriodicTimer(tick, clock);
        try
        {
            do
            {
                await StartDueAsync(enabled, tick, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the runs below release their leases.
        }
        finally
        {
            await Task.WhenAll(_running.Values);
        }
    }

    private async Task StartDueAsync(List<IScheduledJob> enabled, TimeSpan tick, CancellationToken stoppingToken)
    {
        IReadOnlyList<Domain.JobLease> rows;
        try
        {
            rows = await leases.ReadAllAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A database that is away (or not yet migrated) comes back; the next poll looks again.
            logger.LogWarning("Scheduled jobs: the job leases could not be read: {Error}", e.GetType().Name);
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var job in enabled)
        {
            if (_running.TryGetValue(job.Name, out var running) && !running.IsCompleted)
            {
                continue;
            }

            var dueBefore = job.Schedule.DueIfCompletedBefore(now, tick);
            var row = rows.FirstOrDefault(r => r.Name == job.Name);
            if (row?.LastCompletedAtUtc >= dueBefore || row?.LeasedUntilUtc >= now)
            {
                // Done for this period, or running on another node.
                continue;
            }

            _running[job.Name] = RunAsync(job, dueBefore, stoppingToken);
        }
    }

    /// <summary>
    /// A failure in words that carry no address, no password and no content: the exception's type name,
    /// or for the e-mail outbox its own description (<see cref="Email.OutboxSender.Describe"/>). Never its message.
    /// </summary>
    public static string Describe(IScheduledJob job, Exception failure) =>
        job is Email.OutboxJob ? Email.OutboxSender.Describe(failure) : failure.GetType().Name;

    private async Task RunAsync(IScheduledJob job, DateTime dueBefore, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var lease = options.Value.Lease;
        try
        {
            if (!await leases.TryTakeAsync(job.Name, lease, dueBefore, stoppingToken))
            {
                // Another node took it (or finished it) since the rows were read.
                metrics.JobRuns.Add(1, new("job", job.Name), new("outcome", "skipped_held"));
                return;
            }
        }
        catch (Exception e)
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Scheduled job {Job}: its lease could not be taken: {Error}", job.Name, e.GetType().Name);
            }

            return;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var lost = false;
        var heartbeat = HeartbeatAsync();
        var started = Stopwatch.GetTimestamp();
        string? result = null;
        Exception? failure = null;
        try
        {
            result = await job.RunAsync(run.Token);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            await run.CancelAsync();
            await heartbeat;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        try
        {
            if (failure is null)
            {
                if (await leases.CompleteAsync(job.Name, result ?? "done", CancellationToken.None))
                {
                    metrics.JobRuns.Add(1, new("job", job.Name), new("outcome", "completed"));
                    logger.LogInformation("Scheduled job {Job} completed in {Seconds:0.0} s: {Result}", job.Name, seconds, result);
                }
                else
                {
                    metrics.JobRuns.Add(1, new("job", job.Name), new("outcome", "lease_lost"));
                    logger.LogWarning("Scheduled job {Job} finished after its lease was lost; another node may run it again", job.Name);
                }

                return;
            }

            var reason = stoppingToken.IsCancellationRequested ? "interrupted: the node stopped"
                : lost ? "interrupted: the lease was lost"
                : $"failed: {failure.GetType().Name}";
            await leases.FailAsync(job.Name, reason, CancellationToken.None);
            metrics.JobRuns.Add(1, new("job", job.Name), new("outcome", stoppingToken.IsCancellationRequested ? "interrupted" : "failed"));
            if (!stoppingToken.IsCancellationRequested && !lost)
            {
                // The lease is released and the job stays due: the next poll (on any node) runs it again.
                // Never the exception itself nor its message: those can carry an address, a password or
                // text from a tip (an SMTP refusal, a database error quoting a value).
                logger.LogError("Scheduled job {Job} failed after {Seconds:0.0} s ({Error}); it runs again at the next poll", job.Name, seconds, Describe(job, failure));
            }
        }
        catch (Exception e)
        {
            // The database went away: the lease lapses by itself and the job is run again then.
            logger.LogWarning("Scheduled job {Job}: its end could not be recorded: {Error}", job.Name, e.GetType().Name);
        }

        async Task HeartbeatAsync()
        {
            using var timer = new PeriodicTimer(lease / 3, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(run.Token))
                {
                    try
                    {
                        if (!await leases.RenewAsync(job.Name, lease, run.Token))
                        {
                            // Lapsed and taken by another node (this one stalled): stop, so that two do not run on.
                            lost = true;
                            logger.LogWarning("Scheduled job {Job} lost its lease; stopping this run", job.Name);
                            await run.CancelAsync();
                            return;
                        }
                    }
                    catch (Exception e) when (!run.IsCancellationRequested)
                    {
                        logger.LogWarning("Scheduled job {Job}: its lease could not be renewed: {Error}", job.Name, e.GetType().Name);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The run ended.
            }
        }
    }
}
