using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notifications;

/// <summary>
/// The officer's own notifications, newest first, and marking them read. What kind, which tip (a
/// link), when: never what the tip says. Another officer's notification answers 404.
/// </summary>
[NoStore]
public sealed class NotificationsModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public sealed record Row(long Id, NotificationKind Kind, Guid TipId, DateTime CreatedAtUtc, bool IsRead)
    {
        public string Label => NotificationTexts.Label(Kind);
    }

    /// <summary>Keyset paging: the id of the last notification on the page before.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int UnreadCount { get; private set; }
    public long? NextBefore { get; private set; }

    /// <summary>After marking, the page says so (a query value: no cookie needed).</summary>
    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public string? DoneMessage => Done switch
    {
        "read" => "Marked as read.",
        "all" => "All your notifications are marked as read.",
        _ => null,
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        if (!ModelState.IsValid || Before is <= 0)
        {
            return BadRequest();
        }

        var mine = MyNotifications.Of(db, officer).AsNoTracking();
        UnreadCount = await mine.CountAsync(n => n.ReadAtUtc == null, cancellationToken);
        var page = Before is { } before ? mine.Where(n => n.Id < before) : mine;
        var rows = await page.OrderByDescending(n => n.Id).Take(PageSize + 1)
            .Select(n => new Row(n.Id, n.Kind, n.TipId!.Value, n.CreatedAtUtc, n.ReadAtUtc != null))
            .ToListAsync(cancellationToken);
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
            NextBefore = rows[^1].Id;
        }

        Rows = rows;
        return Page();
    }

    public async Task<IActionResult> OnPostReadAsync(long id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var now = clock.GetUtcNow().UtcDateTime;
        var notification = await MyNotifications.Of(db, officer).SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notification is null)
        {
            return NotFound();
        }

        notification.ReadAtUtc ??= now;
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage(null, null, new { done = "read" }, null);
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.OfficerNotifications.Where(n => n.OfficerId == officer.Id && n.ReadAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAtUtc, now), cancellationToken);
        return RedirectToPage(null, null, new { done = "all" }, null);
    }
}
