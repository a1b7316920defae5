using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Notices;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Home;

[OutputCache(PolicyName = PublicCache.Policy)]
public sealed class IndexModel(AppDbContext db, NoticeVisibility visibility, TimeProvider clock) : PageModel
{
    private const int FeaturedCount = 6;

    public Operation? Appeal { get; private set; }
    public IReadOnlyList<NoticeCard> Featured { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Appeal = await db.Operations.AsNoTracking().OrderBy(o => o.Id).FirstOrDefaultAsync(cancellationToken);
        Featured = await NoticeCard.From(db.Notices.AsNoTracking()
                .Where(visibility.ListedAt(now))
                .Where(n => n.Status == NoticeStatus.Wanted)
                .SortedBy(NoticeSort.Updated)
                .Take(FeaturedCount))
            .ToListAsync(cancellationToken);
    }
}
