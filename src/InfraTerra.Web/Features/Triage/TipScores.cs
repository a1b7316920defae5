using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage;

/// <summary>
/// Keeps the stored priority score right: call it after a change to tips, their notice, their
/// cluster or their grade, with the tips it may have moved. Reads plain columns only.
/// </summary>
public static class TipScores
{
    private const int Batch = 1000;

    /// <summary>
    /// Recomputes the given tips and saves those whose score changed; returns how many changed. Reads
    /// in pages of the primary key (no OFFSET), and writes each page's changes in one transaction with
    /// one UPDATE per distinct new score, so a rescore of a million tips costs about a thousand commits,
    /// not a million. Inside the caller's transaction it writes there.
    /// </summary>
    public static async Task<int> RecomputeAsync(AppDbContext db, IQueryable<Tip> tips, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(nowUtc);
        var changed = 0;
        Guid? after = null;
        while (true)
        {
            var page = tips;
            if (after is { } last)
            {
                page = page.Where(t => t.Id.CompareTo(last) > 0);
            }

            var rows = await page.OrderBy(t => t.Id).Take(Batch).Select(t => new
            {
                t.Id,
                t.PriorityScore,
                t.PriorityReasons,
                Inputs = new PriorityInputs(
                    t.ThreatToLife,
                    t.Notice == null ? null : t.Notice.Status,
                    t.Notice != null && t.Notice.Caution != null && t.Notice.Caution != "",
                    t.SightedOn,
                    t.TipsterSignals,
                    t.SourceGrade,
                    t.InformationGrade,
                    t.ClusterId == null ? 0 : db.TipClusters.Where(c => c.Id == t.ClusterId).Select(c => c.TipCount).FirstOrDefault(),
                    t.AnswerUnread),
            }).AsNoTracking().ToListAsync(cancellationToken);

            var updates = rows
                .Select(row => (row.Id, Was: new Priority(row.PriorityScore, row.PriorityReasons), Now: TipPriority.Of(row.Inputs, today)))
                .Where(row => row.Was != row.Now)
                .GroupBy(row => row.Now, row => row.Id)
                .ToList();
            if (updates.Count > 0)
            {
                changed += await SaveAsync(db, updates, cancellationToken);
            }

            if (rows.Count < Batch)
            {
                return changed;
            }

            after = rows[^1].Id;
        }
    }

    /// <summary>After a change to a notice's status or caution: every tip about it.</summary>
    public static Task<int> RecomputeForNoticeAsync(AppDbContext db, int noticeId, DateTime nowUtc, CancellationToken cancellationToken) =>
        RecomputeAsync(db, db.Tips.Where(t => t.NoticeId == noticeId), nowUtc, cancellationToken);

    /// <summary>
    /// The daily refresh: only tips whose time-based reason may have moved (a sighting still recent,
    /// or marked recent and maybe no longer), so a day costs a scan, not a rewrite.
    /// </summary>
    public static Task<int> RecomputeTimeBasedAsync(AppDbContext db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var oldestRecent = TipPriority.OldestRecent(DateOnly.FromDateTime(nowUtc));
        return RecomputeAsync(
            db,
            db.Tips.Where(t => (t.PriorityReasons & PriorityReasons.RecentSighting) != PriorityReasons.None || t.SightedOn >= oldestRecent),
            nowUtc,
            cancellationToken);
    }

    /// <summary>
    /// Sets the score of a tip being changed on this context (its notice loaded), so that it is
    /// saved with the change itself.
    /// </summary>
    public static async Task ApplyAsync(AppDbContext db, Tip tip, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var clusterSize = tip.ClusterId is { } clusterId
            ? await db.TipClusters.Where(c => c.Id == clusterId).Select(c => c.TipCount).FirstOrDefaultAsync(cancellationToken)
            : 0;
        var notice = tip.Notice;
        var priority = TipPriority.Of(
            new PriorityInputs(
                tip.ThreatToLife, notice?.Status, !string.IsNullOrEmpty(notice?.Caution), tip.SightedOn, tip.TipsterSignals,
                tip.SourceGrade, tip.InformationGrade, clusterSize, tip.AnswerUnread),
            DateOnly.FromDateTime(nowUtc));
        tip.PriorityScore = priority.Score;
        tip.PriorityReasons = priority.Reasons;
    }

    private static async Task<int> SaveAsync(AppDbContext db, List<IGrouping<Priority, Guid>> updates, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await UpdateAsync(db, updates, cancellationToken);
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var changed = await UpdateAsync(db, updates, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return changed;
        });
    }

    private static async Task<int> UpdateAsync(AppDbContext db, List<IGrouping<Priority, Guid>> updates, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var group in updates)
        {
            var ids = group.ToList();
            var priority = group.Key;
            changed += await db.Tips.Where(t => ids.Contains(t.Id)).ExecuteUpdateAsync(
                s => s.SetProperty(t => t.PriorityScore, priority.Score).SetProperty(t => t.PriorityReasons, priority.Reasons),
                cancellationToken);
        }

        return changed;
    }
}
