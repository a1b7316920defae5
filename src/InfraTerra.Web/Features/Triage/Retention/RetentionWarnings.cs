using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Retention;

/// <summary>
/// Warns the holders of tips that will be deleted within 28 days (<see cref="RetentionRules.WarningDue"/>):
/// in the app and by e-mail, through <see cref="OfficerNotifier"/>, whose unique keys make each
/// warning once per tip, closing and officer, whichever node or run gets there first.
/// </summary>
public sealed class RetentionWarnings(AppDbContext db, OfficerNotifier notifier, TimeProvider clock, IOptions<RetentionOptions> options)
{
    private sealed record Candidate(Guid Id, string Desk, string? AssignedToId, TipStatus Status, DateTime StatusChangedAtUtc);

    /// <summary>One run; returns how many notifications it added.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var periods = options.Value.Periods;
        var now = clock.GetUtcNow().UtcDateTime;
        var first = RetentionRules.WarningDays.Max();
        var added = 0;
        foreach (var status in RetentionPeriods.Expiring)
        {
            // Not yet expired, and within the first warning's reach; the rule has the last word on each tip.
            var expiredBy = RetentionRules.ExpiredIfChangedBy(status, now, periods)!.Value;
            var warnedFrom = expiredBy.AddDays(first);
            var tips = await db.Tips.AsNoTracking()
                .Where(t => t.Status == status && t.StatusChangedAtUtc > expiredBy && t.StatusChangedAtUtc <= warnedFrom && t.RetentionHeldAtUtc == null)
                .Select(t => new Candidate(t.Id, t.Desk, t.AssignedToId, t.Status, t.StatusChangedAtUtc))
                .ToListAsync(cancellationToken);
            foreach (var tip in tips)
            {
                if (RetentionRules.WarningDue(tip.Status, tip.StatusChangedAtUtc, held: false, now, periods) is { } days)
                {
                    var due = RetentionRules.DeletionDue(tip.Status, tip.StatusChangedAtUtc, periods)!.Value;
                    added += await NotifyAsync(tip, days, due, cancellationToken);
                }
            }
        }

        return added;
    }

    /// <summary>Saves each tip's notifications on their own, so that a race lost on one tip costs only that tip.</summary>
    private async Task<int> NotifyAsync(Candidate tip, int days, DateTime due, CancellationToken cancellationToken)
    {
        var added = await notifier.DeletionDueSoonAsync(new OfficerNotifier.TipRef(tip.Id, tip.Desk, tip.AssignedToId), days, tip.StatusChangedAtUtc, due, cancellationToken);
        if (added == 0)
        {
            return 0;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return added;
        }
        catch (DbUpdateException)
        {
            // Another node stored the same keys first (or the tip was deleted meanwhile).
            db.ChangeTracker.Clear();
            return 0;
        }
    }
}
