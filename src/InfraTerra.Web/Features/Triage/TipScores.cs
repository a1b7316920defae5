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

    /// <summary>Recomputes the given tips and saves those whose score changed; returns how many changed.</summary>
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
                    t.Notice != null && t.Notice.Caution != null,
                    t.SightedOn,
                    t.TipsterSignals,
                    t.SourceGrade,
                    t.InformationGrade,
                    t.ClusterId == null ? 0 : db.TipClusters.Where(c => c.Id == t.ClusterId).Select(c => c.TipCount).FirstOrDefault(),
                    t.AnswerUnread),
            }).ToListAsync(cancellationToken);

            foreach (var row in rows)
            {
                var priority = TipPriority.Of(row.Inputs, today);
                if (priority.Score != row.PriorityScore || priority.Reasons != row.PriorityReasons)
                {
                    changed += await db.Tips.Where(t => t.Id == row.Id).ExecuteUpdateAsync(
                        s => s.SetProperty(t => t.PriorityScore, priority.Score).SetProperty(t => t.PriorityReasons, priority.Reasons),
                        cancellationToken);
                }
            }

            if (rows.Count < Batch)
            {
                return changed;
            }

            after = rows[^1].Id;
        }
    }
}
