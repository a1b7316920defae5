using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Tips;

/// <summary>
/// What the tip view shows of the decisions an officer can take on a tip (claim, status, grade,
/// threat to life, forward), rendered by <c>_Decisions.cshtml</c>. Its forms post to the Decide page.
/// </summary>
public sealed record DecisionsPanel(Guid TipId, TipAccessLevel Access, int Revision)
{
    public TipStatus Status { get; init; }
    public string Desk { get; init; } = Tip.GeneralDesk;
    public string? AssigneeId { get; init; }
    public string? AssigneeEmail { get; init; }
    public string OfficerId { get; init; } = "";
    public bool IsSupervisor { get; init; }
    public SourceReliability? Source { get; init; }
    public InformationCredibility? Information { get; init; }
    public ThreatToLife Threat { get; init; }
    public IReadOnlyList<TipStatus> NextStatuses { get; init; } = [];
    public IReadOnlyList<TipDecisions.Assignable> Assignable { get; init; } = [];

    /// <summary>Desk codes, the warrants' issuing countries first, and how many of them come first.</summary>
    public IReadOnlyList<string> ForwardTargets { get; init; } = [];
    public int WarrantTargetCount { get; init; }

    /// <summary>The tips this one may be marked a duplicate of (its similar tips the officer may act on): id and a label.</summary>
    public IReadOnlyList<KeyValuePair<Guid, string>> DuplicateChoices { get; init; } = [];

    /// <summary>What the officer typed in a decision that was refused, shown again in its form.</summary>
    public DecideModel.InputModel? Kept { get; init; }

    /// <summary>The form whose decision was refused (a handler name), and why.</summary>
    public string? FailedForm { get; init; }
    public string? Error { get; init; }

    public bool CanAct => Access == TipAccessLevel.Act;
    public bool HeldByMe => AssigneeId is not null && AssigneeId == OfficerId;
    public bool CanRelease => AssigneeId is not null && (HeldByMe || IsSupervisor);
    public string? GradeCode => GradingRules.Code(Source, Information);

    /// <summary>The value to show in a form: what was typed if this form was refused, else the tip's own.</summary>
    public T KeptOr<T>(string form, Func<DecideModel.InputModel, T> typed, T current) =>
        FailedForm == form && Kept is not null ? typed(Kept) : current;

    public static async Task<DecisionsPanel> LoadAsync(AppDbContext db, Tip tip, CurrentOfficer officer, TipAccessLevel access, CancellationToken cancellationToken)
    {
        var assigneeEmail = tip.AssignedToId is null
            ? null
            : await db.Users.Where(u => u.Id == tip.AssignedToId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        var panel = new DecisionsPanel(tip.Id, access, tip.Revision)
        {
            Status = tip.Status,
            Desk = tip.Desk,
            AssigneeId = tip.AssignedToId,
            AssigneeEmail = assigneeEmail ?? tip.AssignedToId,
            OfficerId = officer.Id,
            IsSupervisor = officer.IsSupervisor,
            Source = tip.SourceGrade,
            Information = tip.InformationGrade,
            Threat = tip.ThreatToLife,
        };
        if (access != TipAccessLevel.Act)
        {
            return panel;
        }

        var warrantCountries = tip.NoticeId is { } noticeId
            ? await db.Warrants.Where(w => w.NoticeId == noticeId).OrderBy(w => w.Id).Select(w => w.IssuingCountry).ToListAsync(cancellationToken)
            : [];
        var targets = ForwardRules.Targets(tip.Desk, warrantCountries, Countries.AllByName().Select(c => c.Code));
        return panel with
        {
            NextStatuses = StatusRules.Next(tip.Status),
            Assignable = officer.IsSupervisor ? await TipDecisions.AssignableOfficersAsync(db, tip.Desk, cancellationToken) : [],
            ForwardTargets = targets,
            WarrantTargetCount = warrantCountries.Distinct(StringComparer.Ordinal).Count(c => c != tip.Desk),
        };
    }
}
