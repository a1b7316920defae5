using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage;

/// <summary>The <c>Jobs</c> configuration section's keys for the daily score refresh.</summary>
public sealed class ScoreRefreshOptions
{
    /// <summary>Off: this node never runs it; where several nodes serve one database, one with it on runs it for all.</summary>
    public bool ScoreRefreshEnabled { get; set; } = true;

    /// <summary>The hour of the day (UTC) of the daily run.</summary>
    public int ScoreRefreshHour { get; set; } = 3;

    public string? Problem() =>
        ScoreRefreshHour is < 0 or > 23 ? "Jobs:ScoreRefreshHour must be an hour of the day (UTC) from 0 to 23." : null;
}

/// <summary>
/// Daily at <see cref="ScoreRefreshOptions.ScoreRefreshHour"/> (and at once when the last run is older
/// than the latest such hour: nodes were down): recomputes the scores of tips whose time-based reason
/// may have moved, so a sighting stops counting as recent when it ages out. Runs on one node at a time
/// (<see cref="JobScheduler"/>); each page of tips commits whole, so a run cut short is finished by the next.
/// </summary>
public sealed class ScoreRefreshJob(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<ScoreRefreshOptions> options, ILogger<ScoreRefreshJob> logger) : IScheduledJob
{
    public string Name => "score-refresh";
    public bool Enabled => options.Value.ScoreRefreshEnabled;
    public JobSchedule Schedule => new JobSchedule.Daily(options.Value.ScoreRefreshHour);

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        $"{await RunOnceAsync(cancellationToken)} tip score(s) changed";

    /// <summary>One run, as the schedule makes it; returns how many tips changed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var changed = await TipScores.RecomputeTimeBasedAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
        logger.LogInformation("Priority scores refreshed: {Changed} tip(s) changed", changed);
        return changed;
    }
}
