using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using InfraTerra.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace InfraTerra.Web.Features.Notices;

[OutputCache(PolicyName = PublicCache.Policy)]
public sealed class DetailsModel(PublicCatalogue catalogue, NoticeVisibility visibility, TimeProvider clock) : PageModel
{
    /// <summary>The catalogue's shared copy: read only.</summary>
    public Notice? Notice { get; private set; }
    public NoticeTexts? Texts { get; private set; }

    /// <summary>What the page needs of each photo; the bytes are fetched by the browser, not here.</summary>
    public IReadOnlyList<PhotoInfo> Photos { get; private set; } = [];

    public sealed record PhotoInfo(int Id, string AltText, int Width, int Height);
    public PageVisibility Visibility { get; private set; }
    public DateOnly Today { get; private set; }
    public bool AcceptsTips => Notice is not null && NoticeVisibility.AcceptsTips(Notice);

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Today = DateOnly.FromDateTime(now);
        Notice = (await catalogue.GetAsync(cancellationToken)).Find(reference);
        Visibility = visibility.PageVisibilityOf(Notice, now);
        if (Visibility is PageVisibility.NotFound)
        {
            return NotFound();
        }

        if (Visibility is PageVisibility.Gone)
        {
            return StatusCode(StatusCodes.Status410Gone);
        }

        Texts = Notice!.TextsIn(HttpContext.CurrentLanguage());
        Photos = [.. Notice.Photos.Select(p => new PhotoInfo(p.Id, p.AltText, p.Width, p.Height))];
        return Page();
    }
}
