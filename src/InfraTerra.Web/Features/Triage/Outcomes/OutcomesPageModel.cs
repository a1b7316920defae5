using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Tips;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InfraTerra.Web.Features.Triage.Outcomes;

/// <summary>
/// Where the outcome forms of a tip or a cluster post (named handlers: Record, Remove). A change
/// goes back to the tip or cluster with a one-line confirmation; a refused one comes back here with
/// the reason and what was typed. Another desk's tip or cluster is a 404, a read-only one a 403.
/// </summary>
[NoStore]
public abstract class OutcomesPageModel(AppDbContext db, OutcomeRecorder recorder, IValidator<OutcomeInput> validator) : PageModel
{
    protected abstract OutcomeTargetKind Kind { get; }

    [BindProperty]
    public OutcomeInput Input { get; set; } = new();

    public OutcomePanel Panel { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } target ? await ShowAsync(target, null, StatusCodes.Status200OK, cancellationToken) : NotFound();

    public async Task<IActionResult> OnPostRecordAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } target)
        {
            return NotFound();
        }

        if (target.Access != TipAccessLevel.Act)
        {
            return await ShowAsync(target, new DecisionResult(DecisionOutcome.ReadOnly, ""), StatusCodes.Status403Forbidden, cancellationToken);
        }

        var validation = await validator.ValidateAsync(Input, cancellationToken);
        foreach (var error in validation.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }

        if (!validation.IsValid)
        {
            return await ShowAsync(target, null, StatusCodes.Status200OK, cancellationToken);
        }

        OutcomeInput.TryKind(Input.Kind, out var kind);
        OutcomeInput.TryDay(Input.Day, out var day);
        var result = await recorder.RecordAsync(target, CurrentOfficer.From(HttpContext), kind, day, cancellationToken);
        if (result.Outcome == DecisionOutcome.Invalid && OutcomeRules.CheckDay(day, target.FirstSubmittedOn, recorder.Today) is not null)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(OutcomeInput.Day)}", result.Message);
            return await ShowAsync(target, null, StatusCodes.Status200OK, cancellationToken);
        }

        return await AfterAsync(target, result, cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } target)
        {
            return NotFound();
        }

        if (Input.Outcome is not { } outcomeId)
        {
            return await ShowAsync(target, new DecisionResult(DecisionOutcome.Invalid, "This form could not be read: nothing was removed. Reload the page and try again."),
                StatusCodes.Status400BadRequest, cancellationToken);
        }

        return await AfterAsync(target, await recorder.RemoveAsync(target, CurrentOfficer.From(HttpContext), outcomeId, cancellationToken), cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(OutcomeTarget target, DecisionResult result, CancellationToken cancellationToken)
    {
        if (result.Succeeded)
        {
            TempData[OutcomePanel.ConfirmationKey] = result.Message;
            return new RedirectResult($"{target.Path}#outcomes");
        }

        return await ShowAsync(target, result, result.Outcome == DecisionOutcome.ReadOnly ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK, cancellationToken);
    }

    private Task<OutcomeTarget?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        recorder.FindAsync(Kind, id, CurrentOfficer.From(HttpContext), cancellationToken);

    private async Task<IActionResult> ShowAsync(OutcomeTarget target, DecisionResult? refused, int statusCode, CancellationToken cancellationToken)
    {
        var panel = await OutcomePanel.LoadAsync(db, recorder, target, CurrentOfficer.From(HttpContext), cancellationToken);
        var fieldErrors = ModelState
            .Where(e => e.Value is { Errors.Count: > 0 })
            .ToDictionary(e => e.Key[(nameof(Input).Length + 1)..], e => e.Value!.Errors[0].ErrorMessage, StringComparer.Ordinal);
        Panel = panel with
        {
            Kept = Input,
            FieldErrors = fieldErrors,
            Error = refused is null ? null : string.IsNullOrEmpty(refused.Message) ? ReadOnlyText : refused.Message,
        };
        Response.StatusCode = statusCode;
        return Page();
    }

    private string ReadOnlyText => Kind == OutcomeTargetKind.Tip
        ? TipDecisions.ReadOnlyMessage
        : "None of this cluster's tips is on your desks: you can read it, but its outcomes are recorded by their desks.";
}

public sealed class TipOutcomesModel(AppDbContext db, OutcomeRecorder recorder, IValidator<OutcomeInput> validator) : OutcomesPageModel(db, recorder, validator)
{
    protected override OutcomeTargetKind Kind => OutcomeTargetKind.Tip;
}

public sealed class ClusterOutcomesModel(AppDbContext db, OutcomeRecorder recorder, IValidator<OutcomeInput> validator) : OutcomesPageModel(db, recorder, validator)
{
    protected override OutcomeTargetKind Kind => OutcomeTargetKind.Cluster;
}
