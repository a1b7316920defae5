using System.Text.RegularExpressions;
using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Outcomes;

/// <summary>
/// A notice's outcome history for officers, at <c>/triage/outcomes?notice={reference}</c>: a
/// reference that cannot be one is a 400 saying so, an unknown notice a 404.
/// </summary>
[NoStore]
public sealed partial class OutcomesIndexModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "notice")]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public NoticeOutcomeHistory? History { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = string.IsNullOrWhiteSpace(Notice) ? null : Notice.Trim();
        if (Notice is null)
        {
            return Page();
        }

        if (!Reference().IsMatch(Notice))
        {
            Error = "A notice reference is up to 20 letters, digits, dashes or slashes, for example 2014-90001.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var reference = Notice.ToUpperInvariant();
        var notice = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.Reference == reference, cancellationToken);
        if (notice is null)
        {
            return NotFound();
        }

        History = await NoticeOutcomeHistory.LoadAsync(db, CurrentOfficer.From(HttpContext), notice, cancellationToken);
        return Page();
    }

    [GeneratedRegex("^[A-Za-z0-9/-]{1,20}$")]
    private static partial Regex Reference();
}
