using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Features.Triage.Notifications;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Tips;

public enum DecisionOutcome
{
    Done,

    /// <summary>The decision breaks a rule or lacks a reason: nothing was changed.</summary>
    Invalid,

    /// <summary>The tip changed since the officer's view (its revision moved on): nothing was changed.</summary>
    Conflict,

    /// <summary>The officer's desk forwarded the tip away: it may read it, not decide.</summary>
    ReadOnly,

    /// <summary>No such tip, or not one this officer may see: answer 404.</summary>
    NotFound,
}

public sealed record DecisionResult(DecisionOutcome Outcome, string Message)
{
    public bool Succeeded => Outcome == DecisionOutcome.Done;
}

/// <summary>
/// The decisions an officer takes on a tip. Each one is checked against the officer's view of the
/// tip (its <see cref="Tip.Revision"/>, an EF concurrency token), bumps the revision, keeps its typed
/// reason as a sealed note (through <see cref="TipStore"/>) and is audited in the same transaction:
/// of two officers deciding on the same view, one wins and the other is told, nothing overwritten.
/// </summary>
public sealed class TipDecisions(AppDbContext db, TipStore store, AuditLog auditLog, TimeProvider clock, OfficerNotifier notifier)
{
    public const string ConflictMessage =
        "Someone else changed this tip since you opened it: nothing was saved. Reload the tip to see what changed, then decide again.";

    public const string ReadOnlyMessage =
        "Your desk forwarded this tip to another desk: you can still read it, but no longer decide on it.";

    public Task<DecisionResult> ClaimAsync(Guid tipId, int revision, CurrentOfficer officer, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, tip =>
        {
            if (tip.AssignedToId == officer.Id)
            {
                return Task.FromResult(Change.Refused("You already hold this tip."));
            }

            if (tip.AssignedToId is not null)
            {
                return Task.FromResult(Change.Refused("Another officer holds this tip. A Supervisor can reassign it."));
            }

            tip.AssignedToId = officer.Id;
            return Task.FromResult(new Change(AuditActions.Claimed, null, "You claimed this tip."));
        });

    public Task<DecisionResult> ReleaseAsync(Guid tipId, int revision, CurrentOfficer officer, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, async tip =>
        {
            if (tip.AssignedToId is null)
            {
                return Change.Refused("Nobody holds this tip.");
            }

            if (tip.AssignedToId != officer.Id && !officer.IsSupervisor)
            {
                return Change.Refused("Only the officer holding this tip or a Supervisor can release it.");
            }

            var holder = await EmailOfAsync(tip.AssignedToId, cancellationToken);
            tip.AssignedToId = null;
            return new Change(AuditActions.Released, null, "The tip was released: nobody holds it now.", Subject: holder);
        });

    public Task<DecisionResult> AssignAsync(Guid tipId, int revision, CurrentOfficer officer, string? assigneeId, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, async tip =>
        {
            if (!officer.IsSupervisor)
            {
                return Change.Refused("Only a Supervisor can assign a tip to an officer.");
            }

            var assignee = (await AssignableOfficersAsync(db, tip.Desk, cancellationToken)).FirstOrDefault(o => o.Id == assigneeId);
            if (assignee is null)
            {
                return Change.Refused("Please choose an officer of this tip's desk.");
            }

            if (tip.AssignedToId == assignee.Id)
            {
                return Change.Refused($"{assignee.Email} already holds this tip.");
            }

            tip.AssignedToId = assignee.Id;
            return new Change(AuditActions.Assigned, null, $"The tip was assigned to {assignee.Email}.", Subject: assignee.Email);
        });

    /// <summary>
    /// A status change. Duplicate names the tip this one repeats (<paramref name="duplicateOf"/>, as
    /// typed or chosen: a tip id or its link) and links this tip to that tip's cluster in the same decision.
    /// </summary>
    public Task<DecisionResult> ChangeStatusAsync(
        Guid tipId, int revision, CurrentOfficer officer, TipStatus? status, string? reason, CancellationToken cancellationToken, string? duplicateOf = null) =>
        DecideAsync(tipId, revision, officer, cancellationToken, async tip =>
        {
            if (status is not { } to)
            {
                return Change.Refused("Please choose a status.");
            }

            var from = tip.Status;
            if ((StatusRules.Check(from, to, reason) ?? TextError(reason)) is { } error)
            {
                return Change.Refused(error);
            }

            var detail = $"{StatusRules.Label(from)} → {StatusRules.Label(to)}";
            var change = new Change(AuditActions.StatusChanged, detail, $"Status changed: {detail}.", TipNoteKind.StatusReason, reason);
            if (to == TipStatus.Duplicate)
            {
                if (ClusterRules.ParseTipReference(duplicateOf) is not { } otherId)
                {
                    return Change.Refused(string.IsNullOrWhiteSpace(duplicateOf)
                        ? "Please choose the tip this one duplicates (from its similar tips)."
                        : "The tip this one duplicates could not be read: choose it from the similar tips, or paste its link.");
                }

                var link = await PlanLinkAsync(tip, otherId, officer, cancellationToken, alreadyLinkedIsFine: true);
                if (link.Error is { } linkError)
                {
                    return Change.Refused(linkError);
                }

                change = link with
                {
                    Action = AuditActions.StatusChanged,
                    Detail = detail,
                    Confirmation = $"Status changed: {detail}. {link.Confirmation}",
                    NoteKind = TipNoteKind.StatusReason,
                    NoteText = reason,
                    MoreAudit = [.. link.Move is { TipJoins: true } ? [new AuditEntry(officer.Actor, AuditActions.Linked, tip.Id, Detail: link.Detail)] : Array.Empty<AuditEntry>(), .. link.MoreAudit],
                };
            }

            tip.Status = to;
            tip.StatusChangedAtUtc = clock.GetUtcNow().UtcDateTime;
            tip.ClosedBecause = null;
            return change;
        });

    /// <summary>
    /// Puts this tip and <paramref name="otherId"/> in one cluster: this tip joins the other's cluster,
    /// or the other joins this one's when only this one has a cluster, or a new cluster takes both.
    /// The officer must be able to act on both tips.
    /// </summary>
    public Task<DecisionResult> LinkAsync(Guid tipId, int revision, CurrentOfficer officer, string? otherTip, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, async tip =>
        {
            if (ClusterRules.ParseTipReference(otherTip) is not { } otherId)
            {
                return Change.Refused(string.IsNullOrWhiteSpace(otherTip)
                    ? "Please choose the tip to link this one to."
                    : "The tip to link to could not be read: choose it from the similar tips, or paste its link.");
            }

            return await PlanLinkAsync(tip, otherId, officer, cancellationToken);
        });

    /// <summary>Takes this tip out of its cluster; a cluster left with no tip is deleted.</summary>
    public Task<DecisionResult> UnlinkAsync(Guid tipId, int revision, CurrentOfficer officer, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, tip =>
        {
            if (tip.ClusterId is not { } cluster)
            {
                return Task.FromResult(Change.Refused("This tip is not in a cluster."));
            }

            tip.ClusterId = null;
            return Task.FromResult(new Change(AuditActions.Unlinked, $"cluster {cluster:N}", "The tip was taken out of its cluster.")
            {
                Move = new ClusterMove(From: cluster, To: null, Created: null, TipJoins: true, OtherJoining: null),
            });
        });

    public Task<DecisionResult> GradeAsync(
        Guid tipId, int revision, CurrentOfficer officer, SourceReliability? source, InformationCredibility? information, string? note, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, tip =>
        {
            if ((GradingRules.Check(source, information, note) ?? TextError(note)) is { } error)
            {
                return Task.FromResult(Change.Refused(error));
            }

            tip.SourceGrade = source;
            tip.InformationGrade = information;
            var code = GradingRules.Code(source, information)!;
            return Task.FromResult(new Change(AuditActions.Graded, code, $"Graded {code}.", TipNoteKind.GradeNote, note));
        });

    public Task<DecisionResult> DecideThreatToLifeAsync(
        Guid tipId, int revision, CurrentOfficer officer, ThreatDecision? decision, string? reason, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, async tip =>
        {
            if (decision is not { } chosen)
            {
                return Change.Refused("Please choose to confirm or to clear the threat to life.");
            }

            if ((ThreatToLifeRules.Check(tip.ThreatToLife, chosen, reason) ?? TextError(reason)) is { } error)
            {
                return Change.Refused(error);
            }

            var before = tip.ThreatToLife;
            tip.ThreatToLife = ThreatToLifeRules.After(chosen);
            if (chosen == ThreatDecision.Confirm)
            {
                await notifier.ThreatConfirmedAsync(tip, officer.Id, cancellationToken);
            }

            var detail = $"{before} → {tip.ThreatToLife}";
            var confirmation = chosen == ThreatDecision.Confirm ? "Threat to life confirmed: the tip is at the top of every queue." : "Threat to life cleared.";
            return new Change(AuditActions.ThreatToLifeChanged, detail, confirmation, TipNoteKind.ThreatToLifeReason, reason);
        });

    public Task<DecisionResult> ForwardAsync(Guid tipId, int revision, CurrentOfficer officer, string? desk, string? reason, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, async tip =>
        {
            var target = desk?.Trim().ToUpperInvariant();
            if ((ForwardRules.Check(tip.Desk, target, WarrantCountries(tip), reason) ?? TextError(reason)) is { } error)
            {
                return Change.Refused(error);
            }

            var sending = tip.Desk;
            var now = clock.GetUtcNow().UtcDateTime;
            var shares = await db.TipDeskShares.Where(s => s.TipId == tip.Id).ToListAsync(cancellationToken);
            db.TipDeskShares.RemoveRange(shares.Where(s => s.Desk == target));
            if (!shares.Any(s => s.Desk == sending))
            {
                db.TipDeskShares.Add(new TipDeskShare { TipId = tip.Id, Desk = sending, SharedAtUtc = now });
            }

            tip.Desk = target!;
            if (tip.AssignedToId is { } holder && !await MayActOnDeskAsync(holder, target!, cancellationToken))
            {
                tip.AssignedToId = null;
            }

            return new Change(AuditActions.Forwarded, $"{sending} → {target}", $"Forwarded to {DeskName(target!)}. Your desk keeps read access.", TipNoteKind.ForwardReason, reason);
        });

    public sealed record Assignable(string Id, string Email);

    /// <summary>Enabled accounts holding the Officer role and the desk: those a Supervisor may assign a tip of that desk to.</summary>
    public static async Task<IReadOnlyList<Assignable>> AssignableOfficersAsync(AppDbContext db, string desk, CancellationToken cancellationToken) =>
        await db.Users
            .Where(u => u.DisabledAtUtc == null)
            .Where(u => db.OfficerDesks.Any(d => d.UserId == u.Id && d.Desk == desk))
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Officer)))
            .OrderBy(u => u.Email)
            .Select(u => new Assignable(u.Id, u.Email ?? u.Id))
            .ToListAsync(cancellationToken);

    public static IReadOnlyList<string> WarrantCountries(Tip tip) =>
        tip.Notice?.Warrants.OrderBy(w => w.Id).Select(w => w.IssuingCountry).ToList() ?? [];

    public static string DeskName(string desk) => desk == Tip.GeneralDesk ? "General" : $"{Countries.Name(desk)} ({desk})";

    private async Task<Change> PlanLinkAsync(Tip tip, Guid otherId, CurrentOfficer officer, CancellationToken cancellationToken, bool alreadyLinkedIsFine = false)
    {
        if (otherId == tip.Id)
        {
            return Change.Refused("A tip cannot be linked to itself.");
        }

        var other = await db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Id == otherId, cancellationToken);
        var access = other is null ? TipAccessLevel.None : await TipAccess.LevelAsync(db, officer, other, cancellationToken);
        if (other is null || access == TipAccessLevel.None)
        {
            return Change.Refused("The other tip was not found, or is not one you may see.");
        }

        if (access != TipAccessLevel.Act)
        {
            return Change.Refused("Your desk forwarded the other tip to another desk: only that desk can link it.");
        }

        var joined = other.ClusterId ?? tip.ClusterId;
        var clusterNotice = joined is null ? null
            : await db.TipClusters.Where(c => c.Id == joined).Select(c => c.NoticeId).FirstOrDefaultAsync(cancellationToken);
        if ((ClusterRules.Check(tip.NoticeId, other.NoticeId) ?? ClusterRules.Check(tip.NoticeId ?? other.NoticeId, clusterNotice)) is { } error)
        {
            return Change.Refused(error);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var otherShort = otherId.ToString("N")[..8];
        if (other.ClusterId is { } target)
        {
            if (tip.ClusterId == target)
            {
                return alreadyLinkedIsFine
                    ? new Change(AuditActions.Linked, null, $"It was already in the cluster of tip {otherShort}.")
                    : Change.Refused($"This tip is already in the cluster of tip {otherShort}.");
            }

            var from = tip.ClusterId;
            tip.ClusterId = target;
            return new Change(AuditActions.Linked, $"cluster {target:N}, with tip {otherId:N}", $"The tip was linked to the cluster of tip {otherShort}.")
            {
                Move = new ClusterMove(from, target, Created: null, TipJoins: true, OtherJoining: null),
            };
        }

        var cluster = tip.ClusterId is { } mine ? null : new TipCluster
        {
            Id = Guid.NewGuid(),
            NoticeId = tip.NoticeId ?? other.NoticeId,
            TipCount = 2,
            CreatedById = officer.Id,
            CreatedAtUtc = now,
        };
        var to = cluster?.Id ?? tip.ClusterId!.Value;
        if (cluster is not null)
        {
            db.TipClusters.Add(cluster);
            tip.ClusterId = cluster.Id;
        }

        var detail = $"cluster {to:N}, with tip {otherId:N}";
        return new Change(AuditActions.Linked, detail, cluster is null
            ? $"Tip {otherShort} joined this tip's cluster."
            : $"This tip and tip {otherShort} now form a cluster.")
        {
            Move = new ClusterMove(From: null, To: to, cluster, TipJoins: cluster is not null, OtherJoining: otherId),
            MoreAudit = [new AuditEntry(officer.Actor, AuditActions.Linked, otherId, Detail: $"cluster {to:N}, with tip {tip.Id:N}")],
        };
    }

    /// <summary>
    /// A decision that moves tips between clusters, in one transaction with the tip's own change: the
    /// clusters' counts move by relative updates (two links at once both count), a tip joining
    /// alongside must still be in no cluster, an emptied cluster is deleted, and the scores of every
    /// tip whose cluster size changed are recomputed before the commit.
    /// </summary>
    private async Task<DecisionResult> MoveAsync(Tip tip, Change change, ClusterMove move, CurrentOfficer officer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var conflict = new DecisionResult(DecisionOutcome.Conflict, ConflictMessage);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                if (move.To is { } to && move.Created is null)
                {
                    var joining = (move.TipJoins ? 1 : 0) + (move.OtherJoining is null ? 0 : 1);
                    if (await db.TipClusters.Where(c => c.Id == to)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.TipCount, c => c.TipCount + joining), cancellationToken) == 0)
                    {
                        await transaction.RollbackAsync(cancellationToken);
                        db.ChangeTracker.Clear();
                        return conflict;
                    }
                }

                await db.SaveChangesAsync(cancellationToken);

                if (move.OtherJoining is { } other && move.To is { } target
                    && await db.Tips.Where(t => t.Id == other && t.ClusterId == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.ClusterId, target).SetProperty(t => t.Revision, t => t.Revision + 1), cancellationToken) == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    return conflict;
                }

                if (move.From is { } from)
                {
                    await db.TipClusters.Where(c => c.Id == from)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.TipCount, c => c.TipCount - 1), cancellationToken);
                    await db.TipClusters.Where(c => c.Id == from && c.TipCount <= 0 && !db.Tips.Any(t => t.ClusterId == from))
                        .ExecuteDeleteAsync(cancellationToken);
                }

                await auditLog.RecordAllAsync([new AuditEntry(officer.Actor, change.Action!, tip.Id, change.Subject, change.Detail), .. change.MoreAudit], cancellationToken);

                var moved = new[] { move.From, move.To }.OfType<Guid>().ToList();
                var joined = move.OtherJoining ?? tip.Id;
                await TipScores.RecomputeAsync(
                    db, db.Tips.Where(t => t.Id == tip.Id || t.Id == joined || (t.ClusterId != null && moved.Contains(t.ClusterId.Value))), now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new DecisionResult(DecisionOutcome.Done, change.Confirmation!);
            }
            catch (DbUpdateConcurrencyException)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return conflict;
            }
        });
    }

    private async Task<DecisionResult> DecideAsync(
        Guid tipId, int revision, CurrentOfficer officer, CancellationToken cancellationToken, Func<Tip, Task<Change>> decide)
    {
        var tip = await db.Tips.Include(t => t.Notice).ThenInclude(n => n!.Warrants).SingleOrDefaultAsync(t => t.Id == tipId, cancellationToken);
        if (tip is null)
        {
            return new DecisionResult(DecisionOutcome.NotFound, "");
        }

        switch (await TipAccess.LevelAsync(db, officer, tip, cancellationToken))
        {
            case TipAccessLevel.None:
                return new DecisionResult(DecisionOutcome.NotFound, "");
            case TipAccessLevel.Read:
                return new DecisionResult(DecisionOutcome.ReadOnly, ReadOnlyMessage);
        }

        if (tip.Revision != revision)
        {
            return new DecisionResult(DecisionOutcome.Conflict, ConflictMessage);
        }

        var change = await decide(tip);
        if (change.Error is { } error)
        {
            return new DecisionResult(DecisionOutcome.Invalid, error);
        }

        var now = clock.GetUtcNow().UtcDateTime;

        // The UPDATE is conditional on the revision the officer saw: a decision taken meanwhile makes it touch no row.
        db.Entry(tip).Property(t => t.Revision).OriginalValue = revision;
        tip.Revision = revision + 1;
        tip.FirstActionAtUtc ??= now;
        await TipScores.ApplyAsync(db, tip, now, cancellationToken);
        if (change.NoteKind is { } kind && !string.IsNullOrWhiteSpace(change.NoteText))
        {
            store.SealNote(tip, kind, officer.Id, change.NoteText.Trim());
        }

        if (change.Move is { } move)
        {
            return await MoveAsync(tip, change, move, officer, cancellationToken);
        }

        try
        {
            await auditLog.RecordAsync(new AuditEntry(officer.Actor, change.Action!, tip.Id, change.Subject, change.Detail), cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new DecisionResult(DecisionOutcome.Conflict, ConflictMessage);
        }

        // Saved with the decision above; read again in case a tipster's answer moved the score meanwhile.
        await TipScores.RecomputeAsync(db, db.Tips.Where(t => t.Id == tip.Id), now, cancellationToken);
        return new DecisionResult(DecisionOutcome.Done, change.Confirmation!);
    }

    private async Task<bool> MayActOnDeskAsync(string userId, string desk, CancellationToken cancellationToken)
    {
        var roles = await db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync(cancellationToken);
        return roles.Contains(Roles.Supervisor)
            || (roles.Contains(Roles.Officer) && await db.OfficerDesks.AnyAsync(d => d.UserId == userId && d.Desk == desk, cancellationToken));
    }

    private async Task<string?> EmailOfAsync(string userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);

    private static string? TextError(string? text) =>
        TextRules.HasNoControlCharacters(text) ? null : "This text contains characters that cannot be accepted.";

    private sealed record Change(
        string? Action, string? Detail, string? Confirmation, TipNoteKind? NoteKind = null, string? NoteText = null, string? Subject = null, string? Error = null)
    {
        /// <summary>Tips moving between clusters with this decision.</summary>
        public ClusterMove? Move { get; init; }

        /// <summary>Records for other tips this decision changed, appended after the tip's own.</summary>
        public IReadOnlyList<AuditEntry> MoreAudit { get; init; } = [];

        public static Change Refused(string error) => new(null, null, null, Error: error);
    }

    /// <summary>
    /// This tip leaves <see cref="From"/> (if any) when <see cref="TipJoins"/>; it and
    /// <see cref="OtherJoining"/> (a tip in no cluster yet) join <see cref="To"/>, which is
    /// <see cref="Created"/> when new (its count already set).
    /// </summary>
    private sealed record ClusterMove(Guid? From, Guid? To, TipCluster? Created, bool TipJoins, Guid? OtherJoining);
}
