namespace InfraTerra.Web.Domain;

/// <summary>How long a tip is kept in each status, in days; a status without a period is never deleted.</summary>
public sealed record RetentionPeriods(int NotActionableDays, int DuplicateDays, int ClosedDays)
{
    /// <summary>The statuses that expire: every other one (New, In review, Actionable, Forwarded) is kept while it lasts.</summary>
    public static readonly IReadOnlyList<TipStatus> Expiring = [TipStatus.NotActionable, TipStatus.Duplicate, TipStatus.Closed];

    public int? DaysFor(TipStatus status) => status switch
    {
        TipStatus.NotActionable => NotActionableDays,
        TipStatus.Duplicate => DuplicateDays,
        TipStatus.Closed => ClosedDays,
        _ => null,
    };
}

/// <summary>
/// When a tip is deleted and which warning is due before that. Retention counts from the time the
/// tip's status last changed (<see cref="Tip.StatusChangedAtUtc"/>), so a tip reopened stops its
/// clock and a new closing starts it again; a tip on hold is never deleted.
/// </summary>
public static class RetentionRules
{
    /// <summary>Days before deletion at which the holders are warned, the earliest first.</summary>
    public static readonly IReadOnlyList<int> WarningDays = [28, 14, 7, 3, 1];

    /// <summary>When the tip will be deleted, or null when its status is kept without limit.</summary>
    public static DateTime? DeletionDue(TipStatus status, DateTime statusChangedAtUtc, RetentionPeriods periods) =>
        periods.DaysFor(status) is { } days ? statusChangedAtUtc.AddDays(days) : null;

    /// <summary>
    /// The latest moment a tip in <paramref name="status"/> may have changed status and be deleted at
    /// <paramref name="nowUtc"/>: the same rule as <see cref="IsExpired"/>, as a bound a query can use.
    /// </summary>
    public static DateTime? ExpiredIfChangedBy(TipStatus status, DateTime nowUtc, RetentionPeriods periods) =>
        periods.DaysFor(status) is { } days ? nowUtc.AddDays(-days) : null;

    public static bool IsExpired(TipStatus status, DateTime statusChangedAtUtc, bool held, DateTime nowUtc, RetentionPeriods periods) =>
        !held && DeletionDue(status, statusChangedAtUtc, periods) is { } due && due <= nowUtc;

    /// <summary>
    /// The warning due now (28, 14, 7, 3 or 1 days before deletion), or null when none is: a tip kept
    /// without limit, on hold, already expired, or further than 28 days from deletion. When several
    /// have passed (a run missed), only the most urgent is due: the earlier ones would be stale.
    /// </summary>
    public static int? WarningDue(TipStatus status, DateTime statusChangedAtUtc, bool held, DateTime nowUtc, RetentionPeriods periods)
    {
        if (held || DeletionDue(status, statusChangedAtUtc, periods) is not { } due || due <= nowUtc)
        {
            return null;
        }

        int? dueWarning = null;
        foreach (var days in WarningDays)
        {
            if (nowUtc >= due.AddDays(-days))
            {
                dueWarning = days;
            }
        }

        return dueWarning;
    }
}
