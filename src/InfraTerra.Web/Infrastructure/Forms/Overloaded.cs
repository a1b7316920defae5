using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>The answer of a public form to a post <see cref="PublicFormGate"/> had no room for: its form again, with the text.</summary>
public static class Overloaded
{
    public const string RetryAfterSeconds = "60";

    /// <summary>Nothing is checked, counted or stored: the post is only given back, to be sent again.</summary>
    public static PageResult Page(PageModel page, IStringLocalizer<SharedResource> t)
    {
        page.ModelState.AddModelError("", t["Many people are sending files right now, so nothing was sent. What you wrote is kept below: please choose your files again and send it in a minute."]);
        page.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        page.Response.Headers.RetryAfter = RetryAfterSeconds;
        return page.Page();
    }
}
