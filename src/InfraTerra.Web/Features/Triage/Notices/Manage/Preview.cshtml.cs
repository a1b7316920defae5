using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices.Manage;

/// <summary>
/// The public page's content as visitors will read it, in each of the four languages, before (or
/// after) publishing: texts with their translation fallbacks, banner, caution, photos, charges.
/// Served to Supervisors only, never cached, with photos from the officers' address.
/// </summary>
[NoStore]
public sealed class PreviewModel(AppDbContext db, NoticeVisibility visibility, TimeProvider clock) : PageModel
{
    public Notice Notice { get; private set; } = null!;
    public NoticeTexts Texts { get; private set; } = null!;
    public string Language { get; private set; } = SiteCultures.Default;
    public PageVisibility Visibility { get; private set; }
    public IReadOnlyList<(int Id, string AltText, int Width, int Height)> Photos { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, string? lang, CancellationToken cancellationToken)
    {
        var notice = await db.Notices.AsNoTracking().Include(n => n.Warrants).Include(n => n.Translations).Include(n => n.Operations)
            .AsSplitQuery().SingleOrDefaultAsync(n => n.Reference == reference, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        Notice = notice;
        Language = SiteCultures.IsSupported(lang) ? lang! : SiteCultures.Default;
        Texts = notice.TextsIn(Language);
        var now = clock.GetUtcNow().UtcDateTime;
        // As it will look once published: an unpublished notice is previewed as if it were.
        Visibility = visibility.PageVisibilityOf(true, notice.Status, notice.StatusChangedAtUtc, now);
        Photos = [.. (await db.NoticePhotos.AsNoTracking().Where(p => p.NoticeId == notice.Id).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.AltText, p.Width, p.Height }).ToListAsync(cancellationToken))
            .Select(p => (p.Id, p.AltText, p.Width, p.Height))];
        return Page();
    }
}
