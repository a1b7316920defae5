using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Retention;

/// <summary>
/// Where the tip view's retention forms post: a Supervisor puts a tip on hold (with a reason, kept as
/// a sealed note) or releases it. Like the decisions, each is checked against the officer's view of
/// the tip (its revision: an older view gets 409 and changes nothing), bumps the revision and is
/// audited in the same transaction; the audit record never holds the reason.
/// </summary>
[NoStore]
public sealed class RetentionHoldModel(AppDbContext db, TipStore store, AuditLog auditLog, TimeProvider clock, IOptions<RetentionOptions> retention, IValidator<RetentionHoldModel.InputModel> validator) : PageModel
{
    public const string ConfirmationKey = "RetentionConfirmation";

    public const string ConflictMessage =
        "Someone else changed this tip since you opened it: nothing was saved. Reload the tip to see what changed, then decide again.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public RetentionPanel? Panel { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) is { } tip ? Show(tip, null, StatusCodes.Status200OK) : NotFound();

    public Task<IActionResult> OnPostHoldAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, hold: true, cancellationToken);

    public Task<IActionResult> OnPostReleaseAsync(Guid id, CancellationToken cancellationToken) =>
        DecideAsync(id, hold: false, cancellationToken);

    private async Task<IActionResult> DecideAsync(Guid id, bool hold, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var tip = await LoadAsync(id, cancellationToken);
        if (tip is null)
        {
            return NotFound();
        }

        if (!officer.IsSupervisor)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (Input.Revision is not { } revision)
        {
            return Show(tip, "This form could not be read: nothing was saved. Reload the tip and decide again.", StatusCodes.Status400BadRequest);
        }

        if (tip.Revision != revision)
        {
            return Show(tip, ConflictMessage, StatusCodes.Status409Conflict);
        }

        string confirmation;
        AuditEntry audit;
        if (hold)
        {
            if (tip.RetentionHeldAtUtc is not null)
            {
                return Show(tip, "This tip is already on hold.", StatusCodes.Status200OK);
            }

            var result = await validator.ValidateAsync(Input, cancellationToken);
            if (!result.IsValid)
            {
                foreach (var error in result.Errors)
                {
                    ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
                }

                return Show(tip, result.Errors[0].ErrorMessage, StatusCodes.Status200OK);
            }

            var note = store.SealNote(tip, TipNoteKind.RetentionHoldReason, officer.Id, Input.Reason!.Trim());

            // The column names the sealed note that says why, never the reason itself: officer text may repeat the tip.
            tip.RetentionHoldReason = $"note:{note.Id:N}";
            tip.RetentionHeldById = officer.Id;
            tip.RetentionHeldAtUtc = clock.GetUtcNow().UtcDateTime;
            var due = RetentionRules.DeletionDue(tip.Status, tip.StatusChangedAtUtc, retention.Value.Periods);
            audit = new AuditEntry(officer.Actor, AuditActions.RetentionHeld, tip.Id,
                Detail: due is { } day ? $"hold set; would have been deleted on {day:yyyy-MM-dd}" : "hold set");
            confirmation = "The tip is on hold: it will not be deleted until the hold is released.";
        }
        else
        {
            if (tip.RetentionHeldAtUtc is null)
            {
                return Show(tip, "This tip is not on hold.", StatusCodes.Status200OK);
            }

            tip.RetentionHoldReason = null;
            tip.RetentionHeldById = null;
            tip.RetentionHeldAtUtc = null;
            audit = new AuditEntry(officer.Actor, AuditActions.RetentionReleased, tip.Id, Detail: "hold released");
            confirmation = "The hold was released: the retention period applies again.";
        }

        // Conditional on the revision the Supervisor saw, like every decision on the tip.
        db.Entry(tip).Property(t => t.Revision).OriginalValue = revision;
        tip.Revision = revision + 1;
        try
        {
            await auditLog.RecordAsync(audit, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return await LoadAsync(id, cancellationToken) is { } now ? Show(now, ConflictMessage, StatusCodes.Status409Conflict) : NotFound();
        }

        TempData[ConfirmationKey] = confirmation;
        return new RedirectResult($"/triage/tips/{id}#retention");
    }

    /// <summary>The tip (tracked), or null when it does not exist or is not one this officer may see: 404 either way.</summary>
    private async Task<Tip?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var tip = await db.Tips.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return tip is not null && await TipAccess.LevelAsync(db, CurrentOfficer.From(HttpContext), tip, cancellationToken) != TipAccessLevel.None
            ? tip
            : null;
    }

    private PageResult Show(Tip tip, string? error, int statusCode)
    {
        Panel = RetentionPanel.Of(tip) with { Error = error, KeptReason = Input.Reason };
        Response.StatusCode = statusCode;
        return Page();
    }

    public sealed class InputModel
    {
        /// <summary>The tip's revision when the Supervisor opened it.</summary>
        public int? Revision { get; set; }

        public string? Reason { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public const int MaxLength = 500;

        public InputValidator()
        {
            RuleFor(i => i.Reason)
                .Cascade(CascadeMode.Stop)
                .Must(text => !string.IsNullOrWhiteSpace(text)).WithMessage("Please say why this tip must be kept.")
                .Must(text => text!.Trim().Length <= MaxLength).WithMessage($"Please keep the reason under {MaxLength} characters.")
                .Must(TextRules.HasNoControlCharacters).WithMessage("This text contains characters that cannot be stored.");
        }
    }
}
