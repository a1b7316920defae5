using InfraTerra.Web.Data;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage;

/// <summary>The <c>Jobs</c> configuration section's keys for the daily score refresh.</summary>
public sealed class ScoreRefreshOptions
{
    /// <summary>Off on every node but one where several serve one database: a run is harmless twice, only wasted.</summary>
    public bool ScoreRefreshEnabled { get; set; } = true;

    /// <summary>The hour of the day (UTC) of the daily run.</summary>
    public int ScoreRefreshHour { get; set; } = 3;

    public string? Problem() =>
        ScoreRefreshHour is < 0 or > 23 ? "Jobs:ScoreRefreshHour must be an hour of the day (UTC) from 0 to 23." : null;
}

/// <summary>
/// Once at start-up (a node that was down missed its days) and then daily at
/// <see cref="ScoreRefreshOptions.ScoreRefreshHour"/>: recomputes the scores of tips whose
/// time-based reason may have moved, so a sighting stops counting as recent when it ages out.
/// </summary>
public sealed class ScoreRefreshJob(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<ScoreRefreshOptions> options, ILogger<ScoreRefreshJob> logger) : BackgroundService
{
    /// <summary>One run, as the schedule makes it; returns how many tips changed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var changed = await TipScores.RecomputeTimeBasedAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
        logger.LogInformation("Priority scores refreshed: {Changed} tip(s) changed", changed);
        return changed;
    }

    /// <summary>How long from <paramref name="now"/> to the next <paramref name="hour"/>:00 UTC (never zero: a run just made waits a day).</summary>
    public static TimeSpan DelayUntilNext(DateTimeOffset now, int hour)
    {
        var utc = now.UtcDateTime;
        var next = utc.Date.AddHours(hour);
        if (next <= utc)
        {
            next = next.AddDays(1);
        }

        return next - utc;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScoreRefreshEnabled)
        {
            return;
        }

        try
        {
            await RunLoggingFailuresAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(DelayUntilNext(clock.GetUtcNow(), options.Value.ScoreRefreshHour), clock, stoppingToken);
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
            // A database that is down or not yet migrated must not stop the web app: the next day's run catches up.
            logger.LogError(e, "The daily priority score refresh failed");
        }
    }
}
