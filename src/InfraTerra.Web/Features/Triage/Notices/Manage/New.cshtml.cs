using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices.Manage;

/// <summary>A Supervisor creates a notice: saved unpublished, under a new reference, then photos and publication.</summary>
[NoStore]
public sealed class NewModel(AppDbContext db, AuditLog audit, TimeProvider clock, IValidator<NoticeForm.InputModel> validator) : PageModel
{
    [BindProperty]
    public NoticeForm.InputModel Input { get; set; } = NoticeForm.Blank();

    public NoticeFieldsView Fields { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Fields = await FieldsAsync(db, Input, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        NoticeForm.ExplainBindingErrors(ModelState);
        if (!await NoticeForm.ValidateAsync(validator, Input, ModelState, cancellationToken))
        {
            NoticeForm.Pad(Input);
            Fields = await FieldsAsync(db, Input, cancellationToken);
            return Page();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var notice = new Notice { Status = NoticeStatus.Wanted, IsPublished = false };
        await NoticeForm.ApplyAsync(db, Input, notice, cancellationToken);
        notice.Reference = await NoticeReferences.NewAsync(db, now, cancellationToken);
        db.Notices.Add(notice);
        var actor = CurrentOfficer.From(HttpContext).Actor;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await audit.RecordAsync(new AuditEntry(actor, AuditActions.NoticeCreated, Subject: notice.Reference, Detail: "unpublished"), cancellationToken);
                break;
            }
            catch (DbUpdateException) when (attempt < NoticeReferences.Attempts)
            {
                if (!await ReferenceTakenAsync(notice.Reference, cancellationToken))
                {
                    throw;
                }

                // Another Supervisor's notice took this reference between the check and the save: draw again.
                notice.Reference = await NoticeReferences.NewAsync(db, now, cancellationToken);
            }
        }

        TempData[DetailsModel.ConfirmationKey] = $"Notice {notice.Reference} created. It is not published yet: add photos, preview it, then publish it.";
        return Redirect($"/triage/notices/{notice.Reference}/edit");
    }

    private Task<bool> ReferenceTakenAsync(string reference, CancellationToken cancellationToken) =>
        db.Notices.AsNoTracking().AnyAsync(n => n.Reference == reference, cancellationToken);

    public static async Task<NoticeFieldsView> FieldsAsync(AppDbContext db, NoticeForm.InputModel input, CancellationToken cancellationToken) =>
        new(input, await db.Operations.AsNoTracking().OrderBy(o => o.Name)
            .Select(o => new NoticeFieldsView.OperationChoice(o.Id, o.Name)).ToListAsync(cancellationToken));
}
