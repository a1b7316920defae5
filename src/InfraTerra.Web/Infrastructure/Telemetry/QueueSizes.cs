using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>
/// Gauge <c>infraterra.tips.queue</c>{status}: tips per status, from a snapshot taken at most once per
/// UTC hour, of the tips that arrived before that hour began (ADR 0005): a count refreshed every
/// minute would show a quiet hour's one tip arriving to the minute. A scrape never waits for the
/// database: it reads the last snapshot and, in a new hour, starts one count in the background (one
/// GROUP BY over the status index), none at all while nobody scrapes. A count the database could not
/// answer is tried again at a scrape a minute later.
/// </summary>
public sealed class QueueSizes
{
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueSizes> _logger;
    private IReadOnlyDictionary<TipStatus, long> _snapshot = new Dictionary<TipStatus, long>();
    private long _snapshotHourTicks = -1;
    private long _failedAtTicks = DateTimeOffset.MinValue.UtcTicks;
    private int _counting;

    public QueueSizes(AppMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, ILogger<QueueSizes> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("infraterra.tips.queue", Observe, "{tip}",
            "Tips per status that arrived before the current UTC hour (a snapshot taken at most once an hour).");
    }

    private IEnumerable<System.Diagnostics.Metrics.Measurement<long>> Observe()
    {
        var now = _clock.GetUtcNow();
        if (TipsterTime.Coarse(now.UtcDateTime).Ticks != Interlocked.Read(ref _snapshotHourTicks)
            && now.UtcTicks - Interlocked.Read(ref _failedAtTicks) >= RetryAfterFailure.Ticks
            && Interlocked.Exchange(ref _counting, 1) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }

        return _snapshot.Select(s => new System.Diagnostics.Metrics.Measurement<long>(s.Value, new KeyValuePair<string, object?>("status", s.Key.ToString())));
    }

    private async Task RefreshAsync()
    {
        try
        {
            var hour = TipsterTime.Coarse(_clock.GetUtcNow().UtcDateTime);
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

            // Tips' times are already to the hour; those of the current hour wait for the next snapshot.
            var counts = await db.Tips.Where(t => t.SubmittedAtUtc < hour)
                .GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync();
            _snapshot = Enum.GetValues<TipStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
            Interlocked.Exchange(ref _snapshotHourTicks, hour.Ticks);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            // The last snapshot stays; try again at a scrape a minute later.
            Interlocked.Exchange(ref _failedAtTicks, _clock.GetUtcNow().UtcTicks);
            _logger.LogWarning("Queue sizes for the metrics could not be counted: the database is unavailable ({ErrorType})", e.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _counting, 0);
        }
    }
}
