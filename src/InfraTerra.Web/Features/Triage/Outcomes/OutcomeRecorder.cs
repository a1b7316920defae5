using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Tips;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Outcomes;

public enum OutcomeTargetKind
{
    Tip,
    Cluster,
}

/// <summary>
/// A tip or cluster as far as outcomes go: which notice it was about, the earliest day an outcome
/// may have, and what this officer may do with it.
/// </summary>
public sealed record OutcomeTarget(OutcomeTargetKind Kind, Guid Id, int? NoticeId, DateOnly FirstSubmittedOn, TipAccessLevel Access)
{
    public string Path => Kind == OutcomeTargetKind.Tip ? $"/triage/tips/{Id}" : $"/triage/clusters/{Id}";
    public string OutcomesPath => $"{Path}/outcomes";
}

/// <summary>
/// Records and removes outcomes. The tip's desk rule decides who may: a tip the officer may act
/// on, or a cluster holding at least one such tip; a tip or cluster the officer cannot see is not
/// found. Each change is saved with its audit record (kind and day, nothing the tipster wrote).
/// An outcome changes neither the tip nor its score, so it carries no revision: a repeat of the
/// same kind and day on the same tip or cluster is refused instead, which also makes a double
/// submit harmless.
/// </summary>
public sealed class OutcomeRecorder(AppDbContext db, AuditLog auditLog, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Null when there is no such tip or cluster, or this officer may not see it.</summary>
    public async Task<OutcomeTarget?> FindAsync(OutcomeTargetKind kind, Guid id, CurrentOfficer officer, CancellationToken cancellationToken)
    {
        if (kind == OutcomeTargetKind.Tip)
        {
            var tip = await db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
            if (tip is null)
            {
                return null;
            }

            var access = await TipAccess.LevelAsync(db, officer, tip, cancellationToken);
            return access == TipAccessLevel.None
                ? null
                : new OutcomeTarget(kind, id, tip.NoticeId, DateOnly.FromDateTime(tip.SubmittedAtUtc), access);
        }

        var cluster = await db.TipClusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cluster is null)
        {
            return null;
        }

        var visible = db.Tips.AsNoTracking().VisibleTo(db, officer).Where(t => t.ClusterId == id);
        var first = await visible.MinAsync(t => (DateTime?)t.SubmittedAtUtc, cancellationToken);
        if (first is null)
        {
            return null;
        }

        var desks = officer.Desks.ToList();
        var mayAct = officer.IsSupervisor || (officer.IsOfficer && await visible.AnyAsync(t => desks.Contains(t.Desk), cancellationToken));
        return new OutcomeTarget(kind, id, cluster.NoticeId, DateOnly.FromDateTime(first.Value), mayAct ? TipAccessLevel.Act : TipAccessLevel.Read);
    }

    public async Task<DecisionResult> RecordAsync(OutcomeTarget target, CurrentOfficer officer, OutcomeKind kind, DateOnly day, CancellationToken cancellationToken)
    {
        if (target.Access != TipAccessLevel.Act)
        {
            return new DecisionResult(DecisionOutcome.ReadOnly, ReadOnlyMessage(target));
        }

        if (OutcomeRules.CheckDay(day, target.FirstSubmittedOn, Today) is { } error)
        {
            return new DecisionResult(DecisionOutcome.Invalid, error);
        }

        if (await Of(target).AnyAsync(o => o.Kind == kind && o.OccurredOn == day, cancellationToken))
        {
            return new DecisionResult(DecisionOutcome.Invalid, $"“{OutcomeRules.Label(kind)}” on this day is already recorded here.");
        }

        db.TipOutcomes.Add(new TipOutcome
        {
            Id = Guid.NewGuid(),
            TipId = target.Kind == OutcomeTargetKind.Tip ? target.Id : null,
            ClusterId = target.Kind == OutcomeTargetKind.Cluster ? target.Id : null,
            NoticeId = target.NoticeId,
            Kind = kind,
            OccurredOn = day,
            RecordedById = officer.Id,
            RecordedAtUtc = clock.GetUtcNow().UtcDateTime,
        });
        await auditLog.RecordAsync(Entry(target, officer, AuditActions.OutcomeRecorded, kind, day), cancellationToken);
        return new DecisionResult(DecisionOutcome.Done, $"Outcome recorded: {OutcomeRules.AuditDetail(kind, day)}.");
    }

    /// <summary>Takes back an outcome recorded in error: by the officer who recorded it, or a Supervisor.</summary>
    public async Task<DecisionResult> RemoveAsync(OutcomeTarget target, CurrentOfficer officer, Guid outcomeId, CancellationToken cancellationToken)
    {
        if (target.Access != TipAccessLevel.Act)
        {
            return new DecisionResult(DecisionOutcome.ReadOnly, ReadOnlyMessage(target));
        }

        var outcome = await Of(target).AsTracking().SingleOrDefaultAsync(o => o.Id == outcomeId, cancellationToken);
        if (outcome is null)
        {
            return new DecisionResult(DecisionOutcome.Invalid, "This outcome was already removed.");
        }

        if (outcome.RecordedById != officer.Id && !officer.IsSupervisor)
        {
            return new DecisionResult(DecisionOutcome.ReadOnly, "Only the officer who recorded an outcome, or a Supervisor, can remove it.");
        }

        db.TipOutcomes.Remove(outcome);
        await auditLog.RecordAsync(Entry(target, officer, AuditActions.OutcomeRemoved, outcome.Kind, outcome.OccurredOn), cancellationToken);
        return new DecisionResult(DecisionOutcome.Done, $"Outcome removed: {OutcomeRules.AuditDetail(outcome.Kind, outcome.OccurredOn)}.");
    }

    public IQueryable<TipOutcome> Of(OutcomeTarget target) => target.Kind == OutcomeTargetKind.Tip
        ? db.TipOutcomes.AsNoTracking().Where(o => o.TipId == target.Id)
        : db.TipOutcomes.AsNoTracking().Where(o => o.ClusterId == target.Id);

    private static AuditEntry Entry(OutcomeTarget target, CurrentOfficer officer, string action, OutcomeKind kind, DateOnly day) =>
        target.Kind == OutcomeTargetKind.Tip
            ? new AuditEntry(officer.Actor, action, target.Id, Detail: OutcomeRules.AuditDetail(kind, day))
            : new AuditEntry(officer.Actor, action, Subject: $"cluster {target.Id:N}", Detail: OutcomeRules.AuditDetail(kind, day));

    private static string ReadOnlyMessage(OutcomeTarget target) => target.Kind == OutcomeTargetKind.Tip
        ? TipDecisions.ReadOnlyMessage
        : "None of this cluster's tips is on your desks: you can read it, but its outcomes are recorded by their desks.";
}
