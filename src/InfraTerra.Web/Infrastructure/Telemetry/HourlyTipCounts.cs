using System.Diagnostics.Metrics;

namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>
/// Tips accepted and refused, published per complete UTC hour only (ADR 0005: tipster-side times are
/// kept to the hour). A counter read every 15 s would date a quiet hour's one tip to the scrape
/// interval; here each tip counts into the current hour's bucket in memory, and the gauges
/// <c>infraterra.tips.accepted_last_hour</c> and <c>infraterra.tips.refused_last_hour</c>{reason} show
/// the previous complete hour, so their values change only when the hour turns. Per node: a node
/// started within an hour reports that part of it.
/// </summary>
public sealed class HourlyTipCounts
{
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private long _hour;
    private Bucket _current = new();
    private Bucket _previous = new();

    public HourlyTipCounts(AppMetrics metrics, TimeProvider clock)
    {
        _clock = clock;
        _hour = HourOf(clock);
        metrics.Meter.CreateObservableGauge("infraterra.tips.accepted_last_hour", ObserveAccepted, "{tip}",
            "Tips durably stored in the previous complete UTC hour (changes only when the hour turns).");
        metrics.Meter.CreateObservableGauge("infraterra.tips.refused_last_hour", ObserveRefused, "{tip}",
            "Tip submissions refused in the previous complete UTC hour, by reason (changes only when the hour turns).");
    }

    public void Accepted()
    {
        lock (_lock)
        {
            Turn();
            _current.Accepted++;
        }
    }

    /// <summary><paramref name="reason"/>: one of <see cref="TipRefusals"/>' fixed words.</summary>
    public void Refused(string reason)
    {
        lock (_lock)
        {
            Turn();
            _current.Refused[reason] = _current.Refused.GetValueOrDefault(reason) + 1;
        }
    }

    private Measurement<long> ObserveAccepted()
    {
        lock (_lock)
        {
            Turn();
            return new Measurement<long>(_previous.Accepted);
        }
    }

    private IEnumerable<Measurement<long>> ObserveRefused()
    {
        lock (_lock)
        {
            Turn();

            // Every reason, zeros too: a series that appears is as telling as one that changes.
            return [.. TipRefusals.All.Select(r => new Measurement<long>(_previous.Refused.GetValueOrDefault(r), new KeyValuePair<string, object?>("reason", r)))];
        }
    }

    /// <summary>Under the lock: when the hour has turned, the current bucket becomes the previous (or, after a silent hour, an empty one does).</summary>
    private void Turn()
    {
        var hour = HourOf(_clock);
        if (hour == _hour)
        {
            return;
        }

        _previous = hour == _hour + 1 ? _current : new Bucket();
        _current = new Bucket();
        _hour = hour;
    }

    private static long HourOf(TimeProvider clock) => clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerHour;

    private sealed class Bucket
    {
        public long Accepted { get; set; }
        public Dictionary<string, long> Refused { get; } = new(StringComparer.Ordinal);
    }
}
