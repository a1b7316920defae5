using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Errors;

/// <summary>
/// Friendly pages for error statuses, reached by re-execution so the original status code is
/// kept. Never shows exception details.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel(IStringLocalizer<SharedResource> t) : PageModel
{
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public IActionResult OnGet(int code) => Show(code);

    public IActionResult OnPost(int code) => Show(code);

    private PageResult Show(int code)
    {
        var reExecuted = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>() is not null;
        var status = reExecuted ? Response.StatusCode : code;
        if (status < 400)
        {
            status = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        }

        (Title, Explanation) = status switch
        {
            403 => (t["Not allowed"].Value, t["Your account does not have the role this page needs. Ask an administrator if you think it should."].Value),
            404 => (t["Page not found"].Value, t["There is no page at this address. The notice may have been removed, or the address may be mistyped."].Value),
            410 => (t["No longer available"].Value, t["This notice has been withdrawn and is no longer published."].Value),
            413 => (t["Too large"].Value, t["What you sent is larger than we accept. Please make it smaller and try again."].Value),
            429 => (t["Too many requests"].Value, t["Please wait a minute and try again."].Value),
            503 when PublicFormPost.WasRefused(HttpContext) => (t["Too many uploads at once"].Value, t["Many people are sending files right now, so what you sent was not received. Go back, wait a minute and send it again."].Value),
            503 => (t["Temporarily unavailable"].Value, t["The service is briefly unavailable. Please try again in a few minutes."].Value),
            >= 500 => (t["Something went wrong"].Value, t["We could not complete your request. Please try again in a few minutes."].Value),
            _ => (t["Request not accepted"].Value, t["We could not process this request."].Value),
        };
        Response.StatusCode = status;
        return Page();
    }
}
