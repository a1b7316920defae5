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

    public Task<DecisionResult> ChangeStatusAsync(Guid tipId, int revision, CurrentOfficer officer, TipStatus? status, string? reason, CancellationToken cancellationToken) =>
        DecideAsync(tipId, revision, officer, cancellationToken, tip =>
        {
            if (status is not { } to)
            {
                return Task.FromResult(Change.Refused("Please choose a status."));
            }

            var from = tip.Status;
            if ((StatusRules.Check(from, to, reason) ?? TextError(reason)) is { } error)
            {
                return Task.FromResult(Change.Refused(error));
            }

            tip.Status = to;
            var detail = $"{StatusRules.Label(from)} → {StatusRules.Label(to)}";
            return Task.FromResult(new Change(AuditActions.StatusChanged, detail, $"Status changed: {detail}.", TipNoteKind.StatusReason, reason));
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
        if (change.NoteKind is { } kind && !string.IsNullOrWhiteSpace(change.NoteText))
        {
            store.SealNote(tip, kind, officer.Id, change.NoteText.Trim());
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
        public static Change Refused(string error) => new(null, null, null, Error: error);
    }
}
