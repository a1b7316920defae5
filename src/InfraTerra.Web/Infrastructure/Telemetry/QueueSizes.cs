using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>
/// Gauge <c>infraterra.tips.queue</c>{status}: tips per status, from a snapshot. A scrape never waits
/// for the database: it reads the last snapshot and, when that is older than <see cref="MaxAge"/>,
/// starts one count in the background (one GROUP BY over the status index), so at most one a minute
/// per node, and none at all while nobody scrapes.
/// </summary>
public sealed class QueueSizes
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueSizes> _logger;
    private IReadOnlyDictionary<TipStatus, long> _snapshot = new Dictionary<TipStatus, long>();
    private DateTimeOffset _takenAt = DateTimeOffset.MinValue;
    private int _counting;

    public QueueSizes(AppMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, ILogger<QueueSizes> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("infraterra.tips.queue", Observe, "{tip}", "Tips per status (a snapshot at most a minute old).");
    }

    private IEnumerable<System.Diagnostics.Metrics.Measurement<long>> Observe()
    {
        if (_clock.GetUtcNow() - _takenAt >= MaxAge && Interlocked.Exchange(ref _counting, 1) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }

        return _snapshot.Select(s => new System.Diagnostics.Metrics.Measurement<long>(s.Value, new KeyValuePair<string, object?>("status", s.Key.ToString())));
    }

    public async Task RefreshAsync()
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var counts = await db.Tips.GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync();
            _snapshot = Enum.GetValues<TipStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
            _takenAt = _clock.GetUtcNow();
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            // The last snapshot stays; try again at the next scrape after a minute.
            _takenAt = _clock.GetUtcNow();
            _logger.LogWarning("Queue sizes for the metrics could not be counted: the database is unavailable ({ErrorType})", e.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _counting, 0);
        }
    }
}
