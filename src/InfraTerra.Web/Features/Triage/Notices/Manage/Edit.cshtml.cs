using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Images;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices.Manage;

/// <summary>
/// A Supervisor edits a notice: its fields (optimistic concurrency on <see cref="Notice.Revision"/>: the
/// second of two Supervisors is told and keeps what was typed), its photos (checked by content and
/// cleaned as tip attachments are), its publication and its status (<see cref="NoticeStatusChanges"/>).
/// </summary>
[NoStore]
public sealed class EditModel(
    AppDbContext db,
    AuditLog audit,
    TimeProvider clock,
    NoticeStatusChanges changes,
    DecodeGate decodeGate,
    IValidator<NoticeForm.InputModel> validator) : PageModel
{
    public const int MaxPhotos = 10;
    public const long MaxPhotoBytes = AttachmentInspector.MaxFileBytes;
    public const string ConflictMessage =
        "Another Supervisor changed this notice since you opened it, so nothing was saved. What you typed is kept below; the notice as it is now is on its page: compare, then save again.";

    [BindProperty]
    public NoticeForm.InputModel Input { get; set; } = new();

    [BindProperty]
    public PhotoInput Photo { get; set; } = new();

    [BindProperty]
    public NoticeStatus? NewStatus { get; set; }

    public NoticeFieldsView Fields { get; private set; } = null!;
    public string Reference { get; private set; } = "";
    public NoticeStatus Status { get; private set; }
    public bool IsPublished { get; private set; }
    public int CurrentRevision { get; private set; }
    public IReadOnlyList<PhotoRow> Photos { get; private set; } = [];
    public string? Confirmation { get; private set; }

    public sealed record PhotoRow(int Id, string AltText, int Width, int Height);

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken)
    {
        var notice = await LoadAsync(reference, tracked: false, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        Input = NoticeForm.From(notice);
        Confirmation = TempData[DetailsModel.ConfirmationKey] as string;
        return await ShowAsync(notice, StatusCodes.Status200OK, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string reference, CancellationToken cancellationToken)
    {
        NoticeForm.ExplainBindingErrors(ModelState);
        var notice = await LoadAsync(reference, tracked: true, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        if (Input.Revision is not { } revision)
        {
            ModelState.AddModelError("", "This form could not be read, so nothing was saved: reload the notice and edit it again.");
            return await ShowKeptAsync(notice, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (!await NoticeForm.ValidateAsync(validator, Input, ModelState, cancellationToken))
        {
            return await ShowKeptAsync(notice, StatusCodes.Status200OK, cancellationToken);
        }

        if (notice.Revision != revision)
        {
            return await ConflictAsync(reference, cancellationToken);
        }

        var before = NoticeForm.From(notice);
        var hadCaution = !string.IsNullOrEmpty(notice.Caution);
        await NoticeForm.ApplyAsync(db, Input, notice, cancellationToken);
        db.Entry(notice).Property(n => n.Revision).OriginalValue = revision;
        try
        {
            await audit.RecordAsync(new AuditEntry(CurrentOfficer.From(HttpContext).Actor, AuditActions.NoticeEdited, Subject: reference,
                Detail: NoticeForm.ChangedFields(before, Input)), cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ConflictAsync(reference, cancellationToken);
        }

        if (hadCaution != !string.IsNullOrEmpty(notice.Caution))
        {
            // A caution is part of a tip's score.
            await TipScores.RecomputeForNoticeAsync(db, notice.Id, clock.GetUtcNow().UtcDateTime, cancellationToken);
        }

        TempData[DetailsModel.ConfirmationKey] = "The notice was saved.";
        return Redirect($"/triage/notices/{reference}/edit");
    }

    public async Task<IActionResult> OnPostAddPhotoAsync(string reference, CancellationToken cancellationToken)
    {
        var notice = await LoadAsync(reference, tracked: true, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        var altText = Photo.AltText?.Trim();
        if (string.IsNullOrEmpty(altText))
        {
            ModelState.AddModelError("Photo.AltText", "Describe the photo for people who cannot see it (alternative text).");
        }
        else if (altText.Length > 300 || !InfraTerra.Web.Features.Tips.TextRules.IsSingleLine(altText))
        {
            ModelState.AddModelError("Photo.AltText", "The alternative text is one line of at most 300 characters.");
        }

        if (Photo.File is not { Length: > 0 } file)
        {
            ModelState.AddModelError("Photo.File", "Choose a photo to upload (JPEG, PNG or WebP).");
        }
        else if (file.Length > MaxPhotoBytes)
        {
            ModelState.AddModelError("Photo.File", $"The photo is larger than {MaxPhotoBytes / 1024 / 1024} MB. Choose a smaller one.");
        }

        if (await db.NoticePhotos.CountAsync(p => p.NoticeId == notice.Id, cancellationToken) >= MaxPhotos)
        {
            ModelState.AddModelError("Photo.File", $"A notice can have at most {MaxPhotos} photos. Remove one first.");
        }

        if (!ModelState.IsValid)
        {
            return await ShowFromDatabaseAsync(notice, StatusCodes.Status200OK, cancellationToken);
        }

        byte[] original;
        using (var buffer = new MemoryStream())
        {
            await Photo.File!.CopyToAsync(buffer, cancellationToken);
            original = buffer.ToArray();
        }

        Inspection inspection;
        NoticeImages.Picture thumbnail;
        try
        {
            using (await decodeGate.EnterAsync(cancellationToken))
            {
                // By content, never by name: a PDF is a fine tip attachment but not a photo.
                inspection = AttachmentInspector.SniffType(original) is "image/jpeg" or "image/png" or "image/webp"
                    ? AttachmentInspector.Inspect(original)
                    : Inspection.Refused(UploadProblem.UnsupportedType);
                thumbnail = inspection.Problem is null ? NoticeImages.Thumbnail(inspection.Cleaned) : null!;
            }
        }
        catch (UploadsBusyException)
        {
            ModelState.AddModelError("Photo.File", "Many files are being checked just now. Please upload the photo again in a minute.");
            return await ShowFromDatabaseAsync(notice, StatusCodes.Status503ServiceUnavailable, cancellationToken);
        }

        if (inspection.Problem is { } problem)
        {
            ModelState.AddModelError("Photo.File", problem switch
            {
                UploadProblem.TooManyPixels => "The photo has too many pixels. Choose a smaller one.",
                UploadProblem.Damaged => "The photo could not be read: it may be damaged. Choose another one.",
                UploadProblem.Polyglot => "This file is not only a photo, so it was refused. Choose another one.",
                _ => "This file is not a photo this site accepts (JPEG, PNG or WebP, checked by its content).",
            });
            return await ShowFromDatabaseAsync(notice, StatusCodes.Status200OK, cancellationToken);
        }

        db.NoticePhotos.Add(new NoticePhoto
        {
            NoticeId = notice.Id,
            ContentType = inspection.ContentType,
            Content = inspection.Cleaned,
            Width = inspection.Width ?? 0,
            Height = inspection.Height ?? 0,
            Thumbnail = thumbnail.Bytes,
            AltText = altText!,
        });
        await audit.RecordAsync(new AuditEntry(CurrentOfficer.From(HttpContext).Actor, AuditActions.NoticePhotoAdded, Subject: reference,
            Detail: $"{inspection.ContentType}, {inspection.Width}x{inspection.Height}"), cancellationToken);
        TempData[DetailsModel.ConfirmationKey] = "The photo was added (its metadata removed).";
        return Redirect($"/triage/notices/{reference}/edit#photos");
    }

    public async Task<IActionResult> OnPostRemovePhotoAsync(string reference, int photoId, CancellationToken cancellationToken)
    {
        var notice = await LoadAsync(reference, tracked: true, cancellationToken);
        if (notice is null || !await db.NoticePhotos.AnyAsync(p => p.Id == photoId && p.NoticeId == notice.Id, cancellationToken))
        {
            return NotFound();
        }

        // A stub: the photo's bytes are not read to delete it.
        db.NoticePhotos.Remove(new NoticePhoto { Id = photoId, NoticeId = notice.Id });
        await audit.RecordAsync(new AuditEntry(CurrentOfficer.From(HttpContext).Actor, AuditActions.NoticePhotoRemoved, Subject: reference,
            Detail: $"photo {photoId}"), cancellationToken);
        TempData[DetailsModel.ConfirmationKey] = "The photo was removed.";
        return Redirect($"/triage/notices/{reference}/edit#photos");
    }

    public Task<IActionResult> OnPostPublishAsync(string reference, CancellationToken cancellationToken) =>
        DecideAsync(reference, revision => changes.SetPublishedAsync(reference, revision, true, CurrentOfficer.From(HttpContext).Actor, cancellationToken),
            _ => "The notice is published: the public list, its page, the API, the feed and the sitemap show it now.", cancellationToken);

    public Task<IActionResult> OnPostUnpublishAsync(string reference, CancellationToken cancellationToken) =>
        DecideAsync(reference, revision => changes.SetPublishedAsync(reference, revision, false, CurrentOfficer.From(HttpContext).Actor, cancellationToken),
            _ => "The notice is unpublished: it has left the public pages.", cancellationToken);

    public Task<IActionResult> OnPostStatusAsync(string reference, CancellationToken cancellationToken)
    {
        if (NewStatus is not { } status || !Enum.IsDefined(status))
        {
            return RefuseAsync(reference, "Choose a status: Wanted, Located, Arrested or Withdrawn.", cancellationToken);
        }

        return DecideAsync(reference, revision => changes.ChangeStatusAsync(reference, revision, status, CurrentOfficer.From(HttpContext).Actor, cancellationToken),
            result => NoticeStatusChanges.ClosureFor(status) is null
                ? $"The status is now {status}. Tips already closed stay closed."
                : $"The status is now {status}. {result.ClosedTips} open tip(s) were closed with that reason; tipsters see it at follow-up.",
            cancellationToken);
    }

    private async Task<IActionResult> DecideAsync(
        string reference, Func<int, Task<NoticeChangeResult>> decide, Func<NoticeChangeResult, string> confirmation, CancellationToken cancellationToken)
    {
        if (Input.Revision is not { } revision)
        {
            return await RefuseAsync(reference, "This form could not be read, so nothing was changed: reload the notice and try again.", cancellationToken);
        }

        var result = await decide(revision);
        switch (result.Outcome)
        {
            case NoticeChangeOutcome.NotFound:
                return NotFound();
            case NoticeChangeOutcome.Conflict:
                ModelState.AddModelError("", "Another Supervisor changed this notice since you opened it, so nothing was changed. Check the notice as it is now below, then decide again.");
                return await ShowCurrentAsync(reference, StatusCodes.Status409Conflict, cancellationToken);
            default:
                TempData[DetailsModel.ConfirmationKey] = confirmation(result);
                return Redirect($"/triage/notices/{reference}");
        }
    }

    private async Task<IActionResult> RefuseAsync(string reference, string message, CancellationToken cancellationToken)
    {
        ModelState.AddModelError("", message);
        return await ShowCurrentAsync(reference, StatusCodes.Status400BadRequest, cancellationToken);
    }

    /// <summary>The notice as it is now, in the form (a refused status or publication change).</summary>
    private async Task<IActionResult> ShowCurrentAsync(string reference, int statusCode, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var notice = await LoadAsync(reference, tracked: false, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        Input = NoticeForm.From(notice);
        return await ShowAsync(notice, statusCode, cancellationToken);
    }

    /// <summary>Refused edit: what was typed stays, the revision it was typed against too.</summary>
    private async Task<IActionResult> ConflictAsync(string reference, CancellationToken cancellationToken)
    {
        ModelState.AddModelError("", ConflictMessage);
        db.ChangeTracker.Clear();
        var notice = await LoadAsync(reference, tracked: false, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        return await ShowKeptAsync(notice, StatusCodes.Status409Conflict, cancellationToken);
    }

    private async Task<IActionResult> ShowKeptAsync(Notice notice, int statusCode, CancellationToken cancellationToken)
    {
        NoticeForm.Pad(Input);
        return await ShowAsync(notice, statusCode, cancellationToken, keepRevision: true);
    }

    /// <summary>After a photo form: the fields as saved (the photo forms carry none of them).</summary>
    private async Task<IActionResult> ShowFromDatabaseAsync(Notice notice, int statusCode, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var current = await LoadAsync(notice.Reference, tracked: false, cancellationToken) ?? notice;
        Input = NoticeForm.From(current);
        return await ShowAsync(current, statusCode, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(Notice notice, int statusCode, CancellationToken cancellationToken, bool keepRevision = false)
    {
        Reference = notice.Reference;
        Status = notice.Status;
        IsPublished = notice.IsPublished;
        CurrentRevision = keepRevision ? Input.Revision ?? notice.Revision : notice.Revision;
        Photos = await db.NoticePhotos.AsNoTracking().Where(p => p.NoticeId == notice.Id).OrderBy(p => p.Id)
            .Select(p => new PhotoRow(p.Id, p.AltText, p.Width, p.Height)).ToListAsync(cancellationToken);
        Fields = await NewModel.FieldsAsync(db, Input, cancellationToken);
        Response.StatusCode = statusCode;
        return Page();
    }

    private Task<Notice?> LoadAsync(string reference, bool tracked, CancellationToken cancellationToken)
    {
        // Photos are not loaded: their bytes are large, and the form never needs them.
        var query = db.Notices.Include(n => n.Warrants).Include(n => n.Translations).Include(n => n.Operations).AsSplitQuery();
        return (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(n => n.Reference == reference, cancellationToken);
    }

    public sealed class PhotoInput
    {
        public IFormFile? File { get; set; }
        public string? AltText { get; set; }
    }
}
