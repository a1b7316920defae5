using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices;

public enum NoticeChangeOutcome
{
    Done,
    NotFound,

    /// <summary>Another Supervisor saved the notice since this one's form was opened: nothing was changed.</summary>
    Conflict,
}

public sealed record NoticeChangeResult(NoticeChangeOutcome Outcome, int ClosedTips = 0)
{
    public static readonly NoticeChangeResult NotFound = new(NoticeChangeOutcome.NotFound);
    public static readonly NoticeChangeResult Conflict = new(NoticeChangeOutcome.Conflict);
}

/// <summary>
/// A notice's status, publication and everything that follows from them, in one place
/// (docs/architecture.md, "Notice status flows"). The notice is saved with its audit record under
/// the revision the Supervisor's form was opened at; then, for an arrest or a withdrawal, every open
/// tip about it is closed with that reason, in batches, in SQL, without reading tip content, each
/// with its own audit record and a bumped revision, so an officer's form opened before is refused
/// rather than overwriting the closure. Putting a notice back to Wanted reopens nothing: a closed tip
/// stays closed (an officer can reopen one by its own status form).
/// Saving the notice evicts the public caches and the catalogue of this node (NoticeChangeEviction),
/// which is also where the tip form reads the notice from.
/// </summary>
public sealed class NoticeStatusChanges(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Statuses in which a tip is still being worked on: New, In review, Actionable, Forwarded. Not
    /// actionable, Duplicate and Closed are already decisions, and the tipster already sees them as closed.
    /// </summary>
    public static readonly IReadOnlyList<TipStatus> OpenStatuses = [TipStatus.New, TipStatus.InReview, TipStatus.Actionable, TipStatus.Forwarded];

    /// <summary>Tips closed per transaction: small enough to keep each lock short after a TV appeal's tens of thousands.</summary>
    public const int Batch = 500;

    public static TipClosure? ClosureFor(NoticeStatus status) => status switch
    {
        NoticeStatus.Arrested => TipClosure.NoticeArrested,
        NoticeStatus.Withdrawn => TipClosure.NoticeWithdrawn,
        _ => null,
    };

    public async Task<NoticeChangeResult> ChangeStatusAsync(
        string reference, int revision, NoticeStatus status, AuditActor actor, CancellationToken cancellationToken)
    {
        var notice = await db.Notices.SingleOrDefaultAsync(n => n.Reference == reference, cancellationToken);
        if (notice is null)
        {
            return NoticeChangeResult.NotFound;
        }

        if (notice.Revision != revision)
        {
            return NoticeChangeResult.Conflict;
        }

        var was = notice.Status;
        if (was != status)
        {
            notice.Status = status;
            if (!await SaveAsync(notice, revision, new AuditEntry(actor, AuditActions.NoticeStatusChanged, Subject: reference, Detail: $"{was} → {status}"), cancellationToken))
            {
                return NoticeChangeResult.Conflict;
            }
        }

        // Also when the status was already set: a cascade cut short (a restart), or a tip that arrived while
        // it ran, is finished by setting it again. Only tips nobody decided on since the status was set:
        // a tip an officer reopened after the arrest stays open.
        var closed = ClosureFor(status) is { } closure
            ? await CloseOpenTipsAsync(notice.Id, reference, closure, actor, notice.StatusChangedAtUtc, cancellationToken)
            : 0;
        await TipScores.RecomputeForNoticeAsync(db, notice.Id, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return new NoticeChangeResult(NoticeChangeOutcome.Done, closed);
    }

    public async Task<NoticeChangeResult> SetPublishedAsync(
        string reference, int revision, bool published, AuditActor actor, CancellationToken cancellationToken)
    {
        var notice = await db.Notices.SingleOrDefaultAsync(n => n.Reference == reference, cancellationToken);
        if (notice is null)
        {
            return NoticeChangeResult.NotFound;
        }

        if (notice.Revision != revision)
        {
            return NoticeChangeResult.Conflict;
        }

        if (notice.IsPublished == published)
        {
            return new NoticeChangeResult(NoticeChangeOutcome.Done);
        }

        notice.IsPublished = published;
        var action = published ? AuditActions.NoticePublished : AuditActions.NoticeUnpublished;
        return await SaveAsync(notice, revision, new AuditEntry(actor, action, Subject: reference), cancellationToken)
            ? new NoticeChangeResult(NoticeChangeOutcome.Done)
            : NoticeChangeResult.Conflict;
    }

    /// <summary>Saves the tracked notice with its audit record, only if nobody saved it since <paramref name="revision"/>.</summary>
    private async Task<bool> SaveAsync(Notice notice, int revision, AuditEntry entry, CancellationToken cancellationToken)
    {
        db.Entry(notice).Property(n => n.Revision).OriginalValue = revision;
        try
        {
            await audit.RecordAsync(entry, cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Who the sweep's closures are recorded under in the audit log.</summary>
    public static readonly AuditActor SweepActor = new(null, "closed-notice sweep");

    /// <summary>
    /// Closes the tips that reached an arrested or withdrawn notice after its cascade ran: one sent in the
    /// seconds the cascade took, or on another node whose catalogue still showed the notice as wanted
    /// (up to Catalogue:RefreshSeconds). Also finishes a cascade cut short. Tips an officer reopened
    /// after the status was set stay open. Run periodically by <see cref="ClosedNoticeSweepJob"/>.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var open = OpenStatuses.ToList();
        var notices = await db.Notices.AsNoTracking()
            .Where(n => n.Status == NoticeStatus.Arrested || n.Status == NoticeStatus.Withdrawn)
            .Where(n => db.Tips.Any(t => t.NoticeId == n.Id && open.Contains(t.Status)
                && (t.Status == TipStatus.New || t.StatusChangedAtUtc <= n.StatusChangedAtUtc)))
            .Select(n => new { n.Id, n.Reference, n.Status, n.StatusChangedAtUtc })
            .ToListAsync(cancellationToken);
        var closed = 0;
        foreach (var notice in notices)
        {
            var count = await CloseOpenTipsAsync(notice.Id, notice.Reference, ClosureFor(notice.Status)!.Value, SweepActor, notice.StatusChangedAtUtc, cancellationToken);
            if (count > 0)
            {
                await TipScores.RecomputeForNoticeAsync(db, notice.Id, clock.GetUtcNow().UtcDateTime, cancellationToken);
                closed += count;
            }
        }

        return closed;
    }

    /// <summary>
    /// Closes the notice's open tips, <see cref="Batch"/> at a time: one read of ids and statuses, one
    /// guarded UPDATE per status found (so the audit record's "from" is exact even if an officer moved a
    /// tip meanwhile; a tip moved between the read and the write is simply picked up by the next round),
    /// the closed tips' scores and the audit records, in one transaction per batch. Returns how many tips were closed.
    /// </summary>
    public async Task<int> CloseOpenTipsAsync(
        int noticeId, string reference, TipClosure closure, AuditActor actor, DateTime statusSetAtUtc, CancellationToken cancellationToken)
    {
        var open = OpenStatuses.ToList();
        var closed = 0;
        while (true)
        {
            var batch = await db.Tips.AsNoTracking()
                .Where(t => t.NoticeId == noticeId && open.Contains(t.Status)
                    && (t.Status == TipStatus.New || t.StatusChangedAtUtc <= statusSetAtUtc))
                .OrderBy(t => t.Id)
                .Select(t => new { t.Id, t.Status })
                .Take(Batch)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return closed;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            closed += await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var entries = new List<AuditEntry>(batch.Count);
                var closedIds = new List<Guid>(batch.Count);
                foreach (var group in batch.GroupBy(t => t.Status))
                {
                    var from = group.Key;
                    var ids = group.Select(t => t.Id).ToList();
                    var changed = await db.Tips
                        .Where(t => ids.Contains(t.Id) && t.Status == from)
                        .ExecuteUpdateAsync(
                            s => s.SetProperty(t => t.Status, TipStatus.Closed)
                                .SetProperty(t => t.ClosedBecause, closure)
                                .SetProperty(t => t.StatusChangedAtUtc, now)
                                .SetProperty(t => t.Revision, t => t.Revision + 1),
                            cancellationToken);
                    if (changed == 0)
                    {
                        continue;
                    }

                    var closedNow = changed == ids.Count
                        ? ids
                        : await db.Tips.Where(t => ids.Contains(t.Id) && t.Status == TipStatus.Closed && t.ClosedBecause == closure && t.StatusChangedAtUtc == now)
                            .Select(t => t.Id).ToListAsync(cancellationToken);
                    closedIds.AddRange(closedNow);
                    entries.AddRange(closedNow.Select(id => new AuditEntry(
                        actor, AuditActions.StatusChanged, id, reference, $"{from} → {TipStatus.Closed} ({closure})")));
                }

                // Their scores in the same transaction: a run cut short (a node that died) leaves no closed
                // tip with the score of before, which no later sweep would revisit.
                if (closedIds.Count > 0)
                {
                    await TipScores.RecomputeAsync(db, db.Tips.Where(t => closedIds.Contains(t.Id)), now, cancellationToken);
                }

                await audit.RecordAllAsync(entries, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return entries.Count;
            });
        }
    }
}
