namespace InfraTerra.Web.Infrastructure.Jobs;

/// <summary>
/// A piece of background work that runs on one node at a time (<see cref="JobScheduler"/>). A run is
/// made of units that each commit whole (a batch, a tip, a message), so a run cut short leaves whole
/// units done and the rest to the next holder of the lease.
/// </summary>
public interface IScheduledJob
{
    /// <summary>A fixed short word (<c>score-refresh</c>): the <see cref="Domain.JobLease"/> row's key and the metrics' <c>job</c> tag.</summary>
    string Name { get; }

    /// <summary>Off: this node never runs it (another node with it on still does).</summary>
    bool Enabled { get; }

    JobSchedule Schedule { get; }

    /// <summary>One run; returns a short summary of what it did, without any content (kept in <see cref="Domain.JobLease.LastResult"/>).</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}

/// <summary>When a job is due, from when it last completed (on any node).</summary>
public abstract record JobSchedule
{
    /// <summary>
    /// The job is due while its last completion is before this time (or it never completed). Used in the
    /// lease's conditional update too, so a node that read the row before another node's run finished
    /// cannot run it again.
    /// </summary>
    public abstract DateTime DueIfCompletedBefore(DateTime nowUtc, TimeSpan poll);

    /// <summary>Once a day at <paramref name="HourUtc"/>:00 UTC; a node that starts after a missed slot catches up at once.</summary>
    public sealed record Daily(int HourUtc) : JobSchedule
    {
        /// <summary>The latest <see cref="HourUtc"/>:00 UTC at or before <paramref name="nowUtc"/>.</summary>
        public override DateTime DueIfCompletedBefore(DateTime nowUtc, TimeSpan poll)
        {
            var slot = nowUtc.Date.AddHours(HourUtc);
            return slot <= nowUtc ? slot : slot.AddDays(-1);
        }
    }

    /// <summary>
    /// Every <paramref name="Period"/> after the last completion. Half a poll of slack, so that a job whose
    /// period equals the poll runs at every poll rather than every other one.
    /// </summary>
    public sealed record Every(TimeSpan Period) : JobSchedule
    {
        public override DateTime DueIfCompletedBefore(DateTime nowUtc, TimeSpan poll) =>
            nowUtc - Period + TimeSpan.FromTicks(Math.Min(poll.Ticks, Period.Ticks) / 2);
    }
}
