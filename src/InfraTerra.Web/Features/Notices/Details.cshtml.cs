using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Notices;

public sealed class DetailsModel(AppDbContext db, NoticeVisibility visibility, TimeProvider clock) : PageModel
{
    public Notice? Notice { get; private set; }
    public PageVisibility Visibility { get; private set; }
    public DateOnly Today { get; private set; }
    public bool AcceptsTips => Notice is not null && NoticeVisibility.AcceptsTips(Notice);

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Today = DateOnly.FromDateTime(now);
        Notice = await db.Notices.AsNoTracking()
            .Include(n => n.Warrants.OrderBy(w => w.Id))
            .Include(n => n.Photos.OrderBy(p => p.Id))
            .AsSplitQuery()
            .SingleOrDefaultAsync(n => n.Reference == reference, cancellationToken);
        Visibility = visibility.PageVisibilityOf(Notice, now);
        return Visibility switch
        {
            PageVisibility.NotFound => NotFound(),
            PageVisibility.Gone => StatusCode(StatusCodes.Status410Gone),
            _ => Page(),
        };
    }
}
