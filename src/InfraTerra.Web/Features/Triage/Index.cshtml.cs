using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage;

/// <summary>The queue: tips' metadata only. Tip text stays sealed until the protected tip view exists.</summary>
[NoStore]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    private const int PageSize = 100;

    public sealed record QueueRow(Guid Id, DateTime SubmittedAtUtc, string? NoticeReference, string? NoticeName, string Desk, TipStatus Status);

    public IReadOnlyList<QueueRow> Rows { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Total = await db.Tips.CountAsync(cancellationToken);
        Rows = await db.Tips.AsNoTracking()
            .OrderByDescending(t => t.SubmittedAtUtc)

            // Within the hour, by the random id: arrival order is a rank a proxy log could re-identify (ADR 0005).
            .ThenBy(t => t.Id)
            .Take(PageSize)
            .Select(t => new QueueRow(
                t.Id, t.SubmittedAtUtc,
                t.Notice == null ? null : t.Notice.Reference,
                t.Notice == null ? null : t.Notice.FamilyName + ", " + t.Notice.Forenames,
                t.Desk, t.Status))
            .ToListAsync(cancellationToken);
    }
}
