using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Notices;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Operations;

[OutputCache(PolicyName = PublicCache.Policy)]
public sealed class DetailsModel(AppDbContext db, NoticeVisibility visibility, TimeProvider clock) : PageModel
{
    public Operation? Operation { get; private set; }
    public IReadOnlyList<NoticeCard> Cards { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        Operation = await db.Operations.AsNoTracking().SingleOrDefaultAsync(o => o.Slug == slug.ToLowerInvariant(), cancellationToken);
        if (Operation is null)
        {
            return NotFound();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        Cards = await NoticeCard.From(db.Notices.AsNoTracking()
                .Where(visibility.ListedAt(now))
                .Where(n => n.Operations.Any(o => o.Id == Operation.Id))
                .SortedBy(NoticeSort.Name))
            .ToListAsync(cancellationToken);
        return Page();
    }
}
