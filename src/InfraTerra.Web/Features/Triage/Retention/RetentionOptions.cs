using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Triage.Retention;

/// <summary>The <c>Retention</c> configuration section: days a tip is kept in each final status.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>The longest period accepted: a hundred years (a hold keeps a tip longer).</summary>
    public const int MaxDays = 36_500;

    public const int MaxBatchSize = 5_000;

    public int NotActionableDays { get; set; } = 90;
    public int DuplicateDays { get; set; } = 90;
    public int ClosedDays { get; set; } = 365;

    /// <summary>Tips deleted per transaction: a crash loses at most one batch's work, never half a tip.</summary>
    public int BatchSize { get; set; } = 500;

    public RetentionPeriods Periods => new(NotActionableDays, DuplicateDays, ClosedDays);

    public string? Problem()
    {
        foreach (var (key, days) in new[] { ("NotActionableDays", NotActionableDays), ("DuplicateDays", DuplicateDays), ("ClosedDays", ClosedDays) })
        {
            if (days is < 1 or > MaxDays)
            {
                return $"Retention:{key} must be a whole number of days from 1 to {MaxDays} (it is {days}). To keep a particular tip longer, a Supervisor puts it on hold.";
            }
        }

        return BatchSize is < 1 or > MaxBatchSize ? $"Retention:BatchSize must be from 1 to {MaxBatchSize} (it is {BatchSize})." : null;
    }
}

/// <summary>The <c>Jobs</c> configuration section's keys for the daily retention run.</summary>
public sealed class RetentionJobOptions
{
    /// <summary>Off on every node but one where several serve one database: two runs at once are safe, only wasted.</summary>
    public bool RetentionEnabled { get; set; } = true;

    /// <summary>The hour of the day (UTC) of the daily run.</summary>
    public int RetentionHour { get; set; } = 2;

    public string? Problem() =>
        RetentionHour is < 0 or > 23 ? "Jobs:RetentionHour must be an hour of the day (UTC) from 0 to 23." : null;
}
