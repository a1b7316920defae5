using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Retention;

/// <summary>
/// Deletes the tips whose retention period is over (<see cref="RetentionRules"/>), in batches of
/// <see cref="RetentionOptions.BatchSize"/>, each batch one transaction: a crash mid-purge leaves every
/// tip whole or gone, and the next run finishes the work. A tip goes with everything about it (its
/// messages, files, notes, desk shares and notifications; its outcomes stay, without it); its cluster's count follows and the cluster's other tips are rescored; each deleted
/// tip leaves an audit record saying what was deleted, never what it said. On SQLite the WAL is then
/// checkpointed and truncated, so no old page image of a deleted tip is left in the -wal file
/// (<c>secure_delete</c> zeroes the freed space in the database file itself).
/// </summary>
public sealed class RetentionPurge(AppDbContext db, AuditLog auditLog, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<RetentionPurge> logger)
{
    private sealed record Candidate(Guid Id, TipStatus Status, DateTime StatusChangedAtUtc, Guid? ClusterId, int Attachments, int Messages, int Notes);

    public sealed record Result(IReadOnlyDictionary<TipStatus, int> Deleted, int Batches, bool Finished, bool? WalTruncated)
    {
        public int Total => Deleted.Values.Sum();
    }

    /// <summary>
    /// One run. A dry run counts what would be deleted and changes nothing. <paramref name="maxBatches"/>
    /// stops a run early (as a crash between batches would); the next run carries on.
    /// </summary>
    public async Task<Result> RunAsync(AuditActor actor, bool dryRun, CancellationToken cancellationToken, int? maxBatches = null)
    {
        var settings = options.Value;
        var periods = settings.Periods;
        var now = clock.GetUtcNow().UtcDateTime;
        var deleted = RetentionPeriods.Expiring.ToDictionary(s => s, _ => 0);

        if (dryRun)
        {
            foreach (var status in RetentionPeriods.Expiring)
            {
                var cutoff = RetentionRules.ExpiredIfChangedBy(status, now, periods)!.Value;
                deleted[status] = await Expired(status, cutoff).CountAsync(cancellationToken);
            }

            return new Result(deleted, 0, Finished: true, WalTruncated: null);
        }

        var batches = 0;
        var finished = true;
        foreach (var status in RetentionPeriods.Expiring)
        {
            var cutoff = RetentionRules.ExpiredIfChangedBy(status, now, periods)!.Value;
            while (true)
            {
                if (maxBatches is { } most && batches >= most)
                {
                    finished = false;
                    break;
                }

                var batch = await Expired(status, cutoff)
                    .OrderBy(t => t.StatusChangedAtUtc).ThenBy(t => t.Id)
                    .Take(settings.BatchSize)
                    .Select(t => t.Id)
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                var count = await DeleteBatchAsync(batch, status, cutoff, actor, periods, now, cancellationToken);
                batches++;
                deleted[status] += count;
                if (count == 0)
                {
                    // Every candidate was held or changed meanwhile: the next query would find them again.
                    break;
                }
            }
        }

        await auditLog.RecordAsync(new AuditEntry(actor, AuditActions.PurgeRun, Detail: Summary(deleted, finished)), cancellationToken);
        var truncated = deleted.Values.Sum() > 0 ? await TruncateWalAsync(cancellationToken) : null;
        logger.LogInformation("Retention purge: {Deleted} tip(s) deleted in {Batches} batch(es)", deleted.Values.Sum(), batches);
        return new Result(deleted, batches, finished, truncated);
    }

    /// <summary>Tips in <paramref name="status"/> since <paramref name="cutoff"/> or earlier and not on hold: the query form of <see cref="RetentionRules.IsExpired"/>.</summary>
    private IQueryable<Tip> Expired(TipStatus status, DateTime cutoff) =>
        db.Tips.Where(t => t.Status == status && t.StatusChangedAtUtc <= cutoff && t.RetentionHeldAtUtc == null);

    private async Task<int> DeleteBatchAsync(
        List<Guid> ids, TipStatus status, DateTime cutoff, AuditActor actor, RetentionPeriods periods, DateTime now, CancellationToken cancellationToken) =>
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // First a write conditional on the rule still holding, which takes the rows' locks: a hold or a
            // status change made since the batch was read keeps its tip, and one racing with this transaction
            // finds the revision moved on (a 409 for the Supervisor, as for any decision on an older view).
            if (await Expired(status, cutoff).Where(t => ids.Contains(t.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Revision, t => t.Revision + 1), cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return 0;
            }

            // What each tip held, read under the lock, for its audit record and its cluster.
            var gone = await Expired(status, cutoff).Where(t => ids.Contains(t.Id))
                .Select(t => new Candidate(
                    t.Id, t.Status, t.StatusChangedAtUtc, t.ClusterId, t.Attachments.Count(), t.Messages.Count(), db.TipNotes.Count(n => n.TipId == t.Id)))
                .ToListAsync(cancellationToken);
            var going = gone.Select(c => c.Id).ToList();

            // Explicit deletes, children first, rather than the engines' cascades: the same on all three engines
            // (SQL Server refuses some cascade paths), and outcomes keep their history without the tip.
            await db.TipAttachments.Where(a => going.Contains(a.TipId)).ExecuteDeleteAsync(cancellationToken);
            await db.TipMessages.Where(m => going.Contains(m.TipId)).ExecuteDeleteAsync(cancellationToken);
            await db.TipNotes.Where(n => going.Contains(n.TipId)).ExecuteDeleteAsync(cancellationToken);
            await db.TipDeskShares.Where(s => going.Contains(s.TipId)).ExecuteDeleteAsync(cancellationToken);
            await db.OfficerNotifications.Where(n => n.TipId != null && going.Contains(n.TipId.Value)).ExecuteDeleteAsync(cancellationToken);
            await db.TipOutcomes.Where(o => o.TipId != null && going.Contains(o.TipId.Value))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.TipId, (Guid?)null), cancellationToken);
            await db.Tips.Where(t => going.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);

            var shrunk = gone.Where(c => c.ClusterId is not null).GroupBy(c => c.ClusterId!.Value).ToList();
            foreach (var cluster in shrunk)
            {
                var id = cluster.Key;
                var by = cluster.Count();
                await db.TipClusters.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.TipCount, c => c.TipCount - by), cancellationToken);
                await db.TipClusters.Where(c => c.Id == id && c.TipCount <= 0 && !db.Tips.Any(t => t.ClusterId == id)).ExecuteDeleteAsync(cancellationToken);
            }

            if (shrunk.Count > 0)
            {
                var clusters = shrunk.Select(g => g.Key).ToList();
                await TipScores.RecomputeAsync(db, db.Tips.Where(t => t.ClusterId != null && clusters.Contains(t.ClusterId.Value)), now, cancellationToken);
            }

            await auditLog.RecordAllAsync([.. gone.Select(c => new AuditEntry(actor, AuditActions.Purged, c.Id, Detail: Describe(c, periods)))], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return gone.Count;
        });

    /// <summary>"Not actionable since 2026-01-02, expired after 90 days; 2 attachments, 3 messages, 1 note": what went, not what it said.</summary>
    private static string Describe(Candidate tip, RetentionPeriods periods) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{StatusRules.Label(tip.Status)} since {tip.StatusChangedAtUtc:yyyy-MM-dd}, expired after {periods.DaysFor(tip.Status)} days; {Plural(tip.Attachments, "attachment")}, {Plural(tip.Messages, "message")}, {Plural(tip.Notes, "note")}");

    private static string Summary(Dictionary<TipStatus, int> deleted, bool finished) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Plural(deleted.Values.Sum(), "tip")} deleted ({string.Join(", ", deleted.Select(d => $"{StatusRules.Label(d.Key)} {d.Value}"))}){(finished ? "" : "; stopped early, the next run continues")}");

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>
    /// SQLite only: copies the WAL into the database and truncates it to zero bytes, so the old page
    /// images of deleted tips are gone from the -wal file too. Null elsewhere; false when a reader kept
    /// it from finishing (the next run tries again; the WAL is rewritten from its start meanwhile).
    /// </summary>
    private async Task<bool?> TruncateWalAsync(CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return null;
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var busy = await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) != 0;
            if (busy)
            {
                logger.LogWarning("Retention purge: the WAL could not be truncated (a reader was active); the next run tries again");
            }

            return !busy;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
