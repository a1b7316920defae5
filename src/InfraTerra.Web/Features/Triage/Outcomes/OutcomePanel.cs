using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Outcomes;

/// <summary>One outcome as listed: who recorded it and whether this officer may take it back.</summary>
public sealed record OutcomeRow(Guid Id, OutcomeKind Kind, DateOnly OccurredOn, string RecordedBy, DateTime RecordedAtUtc, bool CanRemove);

/// <summary>What <c>_RecordOutcome.cshtml</c> shows on a tip or a cluster: its outcomes and the form to record one.</summary>
public sealed record OutcomePanel(OutcomeTarget Target, IReadOnlyList<OutcomeRow> Outcomes, DateOnly Today)
{
    public const string ConfirmationKey = "OutcomeConfirmation";

    public bool CanRecord => Target.Access == TipAccessLevel.Act;

    /// <summary>What was typed in a refused form, shown again.</summary>
    public OutcomeInput? Kept { get; init; }

    /// <summary>Field errors (Kind, Day) of a refused form.</summary>
    public IReadOnlyDictionary<string, string> FieldErrors { get; init; } = new Dictionary<string, string>();

    /// <summary>Why a recording or a removal was refused, when it is not about one field.</summary>
    public string? Error { get; init; }

    /// <summary>The notice's reference, for a link to its whole outcome history.</summary>
    public string? NoticeReference { get; init; }

    public DateOnly Earliest => Target.FirstSubmittedOn > OutcomeRules.Earliest ? Target.FirstSubmittedOn : OutcomeRules.Earliest;

    public static async Task<OutcomePanel> LoadAsync(AppDbContext db, OutcomeRecorder recorder, OutcomeTarget target, CurrentOfficer officer, CancellationToken cancellationToken)
    {
        var rows = await recorder.Of(target)
            .OrderByDescending(o => o.OccurredOn).ThenByDescending(o => o.RecordedAtUtc)
            .Select(o => new
            {
                o.Id,
                o.Kind,
                o.OccurredOn,
                o.RecordedById,
                Email = db.Users.Where(u => u.Id == o.RecordedById).Select(u => u.Email).FirstOrDefault(),
                o.RecordedAtUtc,
            })
            .ToListAsync(cancellationToken);
        var mayAct = target.Access == TipAccessLevel.Act;
        var reference = target.NoticeId is { } noticeId
            ? await db.Notices.Where(n => n.Id == noticeId).Select(n => n.Reference).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new OutcomePanel(
            target,
            [.. rows.Select(r => new OutcomeRow(r.Id, r.Kind, r.OccurredOn, r.Email ?? "a former officer", r.RecordedAtUtc,
                mayAct && (r.RecordedById == officer.Id || officer.IsSupervisor)))],
            recorder.Today)
        {
            NoticeReference = reference,
        };
    }
}

/// <summary>The outcome form: what the tip or cluster led to and when; or which outcome to remove.</summary>
public sealed class OutcomeInput
{
    public string? Kind { get; set; }

    /// <summary>yyyy-mm-dd, as a date field sends it.</summary>
    public string? Day { get; set; }

    /// <summary>For a removal: the outcome taken back.</summary>
    public Guid? Outcome { get; set; }

    public static bool TryKind(string? value, out OutcomeKind kind) =>
        Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !value!.Any(char.IsDigit);

    public static bool TryDay(string? value, out DateOnly day) => QueueFilter.TryDay(value?.Trim(), out day);

    public sealed class InputValidator : AbstractValidator<OutcomeInput>
    {
        public InputValidator()
        {
            RuleFor(i => i.Kind)
                .Cascade(CascadeMode.Stop)
                .Must(k => !string.IsNullOrWhiteSpace(k)).WithMessage("Please choose what it led to.")
                .Must(k => TryKind(k, out _)).WithMessage("Please choose one of: location confirmed, arrest, assets seized, no result.");
            RuleFor(i => i.Day)
                .Cascade(CascadeMode.Stop)
                .Must(d => !string.IsNullOrWhiteSpace(d)).WithMessage("Please give the day it happened.")
                .Must(d => TryDay(d, out _)).WithMessage("Write the day as yyyy-mm-dd, for example 2026-11-29.");
        }
    }
}

/// <summary>Shows a tip's or a cluster's outcomes, with the form, wherever a view places it (one line in the tip and cluster views).</summary>
public sealed class OutcomesViewComponent(AppDbContext db, OutcomeRecorder recorder) : ViewComponent
{
    public const string PartialPath = "/Features/Triage/Outcomes/_RecordOutcome.cshtml";

    public async Task<IViewComponentResult> InvokeAsync(OutcomeTargetKind kind, Guid id)
    {
        var officer = CurrentOfficer.From(HttpContext);
        if (await recorder.FindAsync(kind, id, officer, HttpContext.RequestAborted) is not { } target)
        {
            return Content("");
        }

        return View(PartialPath, await OutcomePanel.LoadAsync(db, recorder, target, officer, HttpContext.RequestAborted));
    }
}
