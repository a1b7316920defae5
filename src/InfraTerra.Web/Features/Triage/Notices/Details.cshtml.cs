using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices;

/// <summary>
/// The officers' view of a notice, published or not: its state, its status history (from the audit
/// log), how many tips about it are in each status, and its outcomes. Any officer may read it;
/// the tip counts are of the tips the officer may see (their desks; every desk for a Supervisor).
/// </summary>
[NoStore]
public sealed class DetailsModel(AppDbContext db, NoticeVisibility visibility, TimeProvider clock) : PageModel
{
    public const string ConfirmationKey = "NoticeConfirmation";

    public static readonly IReadOnlyList<string> HistoryActions =
    [
        AuditActions.NoticeCreated, AuditActions.NoticeEdited, AuditActions.NoticePublished, AuditActions.NoticeUnpublished,
        AuditActions.NoticeStatusChanged, AuditActions.NoticePhotoAdded, AuditActions.NoticePhotoRemoved,
    ];

    public NoticeSummary Notice { get; private set; } = null!;
    public IReadOnlyList<HistoryLine> History { get; private set; } = [];
    public IReadOnlyList<(TipStatus Status, int Count)> TipCounts { get; private set; } = [];
    public int ClosedByNotice { get; private set; }
    public Outcomes.NoticeOutcomeHistory Outcomes { get; private set; } = null!;
    public PageVisibility PublicVisibility { get; private set; }
    public bool IsSupervisor { get; private set; }
    public string? Confirmation { get; private set; }

    public sealed record NoticeSummary(
        int Id, string Reference, string DisplayName, NoticeStatus Status, bool IsPublished, bool IsSample, DateTime UpdatedAtUtc,
        DateTime StatusChangedAtUtc, string Desk, IReadOnlyList<string> Operations, IReadOnlyList<(int Id, string AltText)> Photos);

    public sealed record HistoryLine(DateTime AtUtc, string Actor, string Action, string? Detail);

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken)
    {
        var notice = await db.Notices.AsNoTracking().Where(n => n.Reference == reference)
            .Select(n => new
            {
                n.Id,
                n.Reference,
                n.FamilyName,
                n.Forenames,
                n.Status,
                n.IsPublished,
                n.IsSample,
                n.UpdatedAtUtc,
                n.StatusChangedAtUtc,
                Desk = n.Warrants.OrderBy(w => w.Id).Select(w => w.IssuingCountry).FirstOrDefault(),
                Operations = n.Operations.Select(o => o.Name).ToList(),
                Photos = n.Photos.OrderBy(p => p.Id).Select(p => new { p.Id, p.AltText }).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        var officer = CurrentOfficer.From(HttpContext);
        IsSupervisor = officer.IsSupervisor;
        Notice = new NoticeSummary(
            notice.Id, notice.Reference, $"{notice.FamilyName.ToUpperInvariant()}, {notice.Forenames}", notice.Status, notice.IsPublished,
            notice.IsSample, notice.UpdatedAtUtc, notice.StatusChangedAtUtc, notice.Desk ?? Tip.GeneralDesk, notice.Operations,
            [.. notice.Photos.Select(p => (p.Id, p.AltText))]);
        PublicVisibility = visibility.PageVisibilityOf(notice.IsPublished, notice.Status, notice.StatusChangedAtUtc, clock.GetUtcNow().UtcDateTime);
        History = await db.AuditRecords.AsNoTracking()
            .Where(r => r.Subject == reference && r.TipId == null && HistoryActions.Contains(r.Action))
            .OrderByDescending(r => r.Sequence)
            .Take(200)
            .Select(r => new HistoryLine(r.AtUtc, r.ActorName, r.Action, r.Detail))
            .ToListAsync(cancellationToken);
        var tips = db.Tips.AsNoTracking().Where(t => t.NoticeId == notice.Id).VisibleTo(db, officer);
        var counts = await tips.GroupBy(t => t.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        TipCounts = [.. counts.OrderBy(c => c.Status).Select(c => (c.Status, c.Count))];
        ClosedByNotice = await tips.CountAsync(t => t.ClosedBecause != null, cancellationToken);
        Outcomes = await Triage.Outcomes.NoticeOutcomeHistory.LoadAsync(
            db, officer, new Notice { Id = notice.Id, Reference = notice.Reference, FamilyName = notice.FamilyName, Forenames = notice.Forenames }, cancellationToken);
        Confirmation = TempData[ConfirmationKey] as string;
        return Page();
    }

    /// <summary>A photo of the notice for officers (also of an unpublished one): the original or its list thumbnail.</summary>
    public async Task<IActionResult> OnGetPhotoAsync(string reference, int photoId, bool thumbnail, CancellationToken cancellationToken)
    {
        var photo = await db.NoticePhotos.AsNoTracking()
            .Where(p => p.Id == photoId && db.Notices.Any(n => n.Id == p.NoticeId && n.Reference == reference))
            .Select(p => thumbnail ? new { Bytes = p.Thumbnail, ContentType = "image/jpeg" } : new { Bytes = p.Content, p.ContentType })
            .SingleOrDefaultAsync(cancellationToken);
        return photo is null ? NotFound() : File(photo.Bytes, photo.ContentType);
    }
}
