using System.Diagnostics.Metrics;

namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>
/// The app's own instruments (meter <see cref="MeterName"/>). Tags name outcomes, reasons, jobs and
/// statuses only: never an address, an agent, a reference typed by a visitor or any tip content.
/// Nothing here is counted per tip: tips accepted and refused are published per complete hour
/// (<see cref="HourlyTipCounts"/>), so that no series dates a tip more precisely than ADR 0005 allows.
/// </summary>
public sealed class AppMetrics : IDisposable
{
    public const string MeterName = "InfraTerra";

    private readonly Meter _meter;

    public AppMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        JobRuns = _meter.CreateCounter<long>("infraterra.jobs.runs", "{run}", "Scheduled job runs on this node, by job and outcome.");
        CacheLookups = _meter.CreateCounter<long>("infraterra.output_cache.lookups", "{lookup}", "Public output cache look-ups, by result (hit or miss).");
    }

    public Meter Meter => _meter;

    /// <summary>Tags <c>job</c> (the job's name) and <c>outcome</c> (completed, failed, interrupted, skipped_held, lease_lost).</summary>
    public Counter<long> JobRuns { get; }

    /// <summary>Tag <c>result</c>: hit or miss.</summary>
    public Counter<long> CacheLookups { get; }

    public void Dispose() => _meter.Dispose();
}
