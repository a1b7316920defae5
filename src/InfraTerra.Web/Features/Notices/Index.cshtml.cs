using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Notices;

public sealed class IndexModel(AppDbContext db, NoticeVisibility visibility, TimeProvider clock) : PageModel
{
    public const int MaxQueryLength = 100;
    public const int PageSize = 24;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public int Total { get; private set; }
    public int PageCount { get; private set; }
    public string? QueryError { get; private set; }
    public IReadOnlyList<NoticeCard> Cards { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Notices.AsNoTracking().Where(visibility.ListedAt(now));

        if (Q is { Length: > MaxQueryLength })
        {
            QueryError = $"A name search can be at most {MaxQueryLength} characters.";
            Q = Q[..MaxQueryLength];
        }

        var terms = SearchText.Normalize(Q ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var term in terms)
        {
            query = query.Where(n => n.SearchName.Contains(term));
        }

        Total = await query.CountAsync(cancellationToken);
        PageCount = Math.Max(1, (Total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Cards = await NoticeCard.From(query
                .OrderBy(n => n.FamilyName).ThenBy(n => n.Forenames).ThenBy(n => n.Reference)
                .Skip((PageNumber - 1) * PageSize)
                .Take(PageSize))
            .ToListAsync(cancellationToken);
    }

    public string PageUrl(int page) =>
        QueryHelpers.Build("/notices", ("q", Q), ("page", page == 1 ? null : page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
