using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Notices;

/// <summary>The <c>Jobs</c> settings of the closed-notice sweep.</summary>
public sealed class ClosedNoticeSweepOptions
{
    public bool ClosedNoticeSweepEnabled { get; set; } = true;

    /// <summary>
    /// How often, in minutes; the first run is one period after start. An hour on purpose: the sweep
    /// closes a tip soon after it arrived and that closing time is exact (officer side), so a shorter
    /// period would tell a tip's arrival more precisely than the hour tipster times are kept to (ADR 0005).
    /// </summary>
    public int ClosedNoticeSweepMinutes { get; set; } = 60;
}

/// <summary>Runs <see cref="NoticeStatusChanges.SweepAsync"/> every few minutes.</summary>
public sealed class ClosedNoticeSweepService(
    IServiceScopeFactory scopes, IOptions<ClosedNoticeSweepOptions> options, TimeProvider clock, ILogger<ClosedNoticeSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ClosedNoticeSweepEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.ClosedNoticeSweepMinutes), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var closed = await scope.ServiceProvider.GetRequiredService<NoticeStatusChanges>().SweepAsync(stoppingToken);
                    if (closed > 0)
                    {
                        logger.LogInformation("Closed-notice sweep: {Count} tip(s) closed", closed);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // A database that is away comes back; the next tick tries again.
                    logger.LogWarning("Closed-notice sweep could not run: {Error}", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
