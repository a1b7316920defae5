using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Tips;

/// <summary>
/// Where the decision forms of the tip view post. A decision taken goes back to the tip with a
/// one-line confirmation; a refused one (a broken rule, an older view of the tip) comes back here
/// with the reason and what was typed, beside the tip's current state.
/// </summary>
[NoStore]
public sealed class DecideModel(AppDbContext db, TipDecisions decisions) : PageModel
{
    public const string ConfirmationKey = "DecisionConfirmation";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public DecisionsPanel? Panel { get; private set; }

    public Guid TipId { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await ShowAsync(id, form: null, error: null, StatusCodes.Status200OK, cancellationToken);

    public Task<IActionResult> OnPostClaimAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Claim", (revision, officer) => decisions.ClaimAsync(id, revision, officer, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostReleaseAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Release", (revision, officer) => decisions.ReleaseAsync(id, revision, officer, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostAssignAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Assign", (revision, officer) => decisions.AssignAsync(id, revision, officer, Input.AssigneeId, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostStatusAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Status", (revision, officer) => decisions.ChangeStatusAsync(id, revision, officer, Input.Status, Input.Reason, cancellationToken, Input.DuplicateOf), cancellationToken);

    public Task<IActionResult> OnPostGradeAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Grade", (revision, officer) => decisions.GradeAsync(id, revision, officer, Input.Source, Input.Information, Input.Note, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostThreatToLifeAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "ThreatToLife", (revision, officer) => decisions.DecideThreatToLifeAsync(id, revision, officer, Input.Threat, Input.Reason, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostForwardAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Forward", (revision, officer) => decisions.ForwardAsync(id, revision, officer, Input.Desk, Input.Reason, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostLinkAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Link", (revision, officer) => decisions.LinkAsync(id, revision, officer, Input.OtherTip, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostUnlinkAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, "Unlink", (revision, officer) => decisions.UnlinkAsync(id, revision, officer, cancellationToken), cancellationToken);

    private async Task<IActionResult> DecideAsync(
        Guid id, string form, Func<int, CurrentOfficer, Task<DecisionResult>> decide, CancellationToken cancellationToken)
    {
        if (Input.Revision is not { } revision)
        {
            return await ShowAsync(id, form, "This form could not be read: nothing was saved. Reload the tip and decide again.", StatusCodes.Status400BadRequest, cancellationToken);
        }

        var result = await decide(revision, CurrentOfficer.From(HttpContext));
        switch (result.Outcome)
        {
            case DecisionOutcome.NotFound:
                return NotFound();
            case DecisionOutcome.Done:
                TempData[ConfirmationKey] = result.Message;
                return new RedirectResult($"/triage/tips/{id}");
            default:
                return await ShowAsync(id, form, result.Message, result.Outcome switch
                {
                    DecisionOutcome.Conflict => StatusCodes.Status409Conflict,
                    DecisionOutcome.ReadOnly => StatusCodes.Status403Forbidden,
                    _ => StatusCodes.Status200OK,
                }, cancellationToken);
        }
    }

    /// <summary>The tip as it is now (a conflict shows what changed), with what was typed kept in the refused form.</summary>
    private async Task<IActionResult> ShowAsync(Guid id, string? form, string? error, int statusCode, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var tip = await db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tip is null)
        {
            return NotFound();
        }

        var access = await TipAccess.LevelAsync(db, officer, tip, cancellationToken);
        if (access == TipAccessLevel.None)
        {
            return NotFound();
        }

        TipId = id;
        Panel = await DecisionsPanel.LoadAsync(db, tip, officer, access, cancellationToken) with { Kept = Input, FailedForm = form, Error = error };
        Response.StatusCode = statusCode;
        return Page();
    }

    public sealed class InputModel
    {
        /// <summary>The tip's revision when the officer opened it.</summary>
        public int? Revision { get; set; }
        public string? AssigneeId { get; set; }
        public TipStatus? Status { get; set; }
        public SourceReliability? Source { get; set; }
        public InformationCredibility? Information { get; set; }
        public ThreatDecision? Threat { get; set; }
        public string? Desk { get; set; }
        public string? Reason { get; set; }
        public string? Note { get; set; }

        /// <summary>For Duplicate: the tip this one repeats (its id or link).</summary>
        public string? DuplicateOf { get; set; }

        /// <summary>For a link: the tip whose cluster this one joins (its id or link).</summary>
        public string? OtherTip { get; set; }
    }
}
