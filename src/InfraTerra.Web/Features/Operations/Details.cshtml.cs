using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace InfraTerra.Web.Features.Operations;

[OutputCache(PolicyName = PublicCache.Policy)]
public sealed class DetailsModel(PublicCatalogue catalogue, TimeProvider clock) : PageModel
{
    public Operation? Operation { get; private set; }
    public IReadOnlyList<NoticeCard> Cards { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var snapshot = await catalogue.GetAsync(cancellationToken);
        Operation = snapshot.FindOperation(slug.ToLowerInvariant());
        if (Operation is null)
        {
            return NotFound();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        Cards = snapshot.Cards(snapshot.Search(new NoticeFilter { Operation = Operation.Slug }, NoticeSort.Name, now, 0, int.MaxValue).Notices);
        return Page();
    }
}
