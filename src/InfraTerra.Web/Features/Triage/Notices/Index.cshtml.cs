using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices;

/// <summary>Every notice, published or not, newest change first; filterable by name or reference and status.</summary>
[NoStore]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public const int PageSize = 100;

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public bool IsSupervisor { get; private set; }
    public string? Query { get; private set; }
    public NoticeStatus? Status { get; private set; }

    public sealed record Row(string Reference, string FamilyName, string Forenames, NoticeStatus Status, bool IsPublished, bool IsSample, DateTime UpdatedAtUtc);

    public async Task OnGetAsync(string? q, NoticeStatus? status, CancellationToken cancellationToken)
    {
        IsSupervisor = CurrentOfficer.From(HttpContext).IsSupervisor;
        Query = q?.Trim();
        Status = status is { } s && Enum.IsDefined(s) ? s : null;
        var notices = db.Notices.AsNoTracking();
        if (!string.IsNullOrEmpty(Query) && Query.Length <= 200)
        {
            var name = SearchText.Normalize(Query);
            var reference = Query;
            notices = notices.Where(n => n.Reference == reference || n.SearchName.Contains(name));
        }

        if (Status is { } wanted)
        {
            notices = notices.Where(n => n.Status == wanted);
        }

        Rows = await notices.OrderByDescending(n => n.UpdatedAtUtc).ThenBy(n => n.Id).Take(PageSize)
            .Select(n => new Row(n.Reference, n.FamilyName, n.Forenames, n.Status, n.IsPublished, n.IsSample, n.UpdatedAtUtc))
            .ToListAsync(cancellationToken);
    }
}
