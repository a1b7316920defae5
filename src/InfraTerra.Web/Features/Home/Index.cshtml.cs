using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace InfraTerra.Web.Features.Home;

[OutputCache(PolicyName = PublicCache.Policy)]
public sealed class IndexModel(PublicCatalogue catalogue, TimeProvider clock) : PageModel
{
    private const int FeaturedCount = 6;

    public Operation? Appeal { get; private set; }
    public IReadOnlyList<NoticeCard> Featured { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var snapshot = await catalogue.GetAsync(cancellationToken);
        Appeal = snapshot.Operations.FirstOrDefault();
        Featured = snapshot.Cards(snapshot.Search(new NoticeFilter { Status = NoticeStatus.Wanted }, NoticeSort.Updated, now, 0, FeaturedCount).Notices);
    }
}
