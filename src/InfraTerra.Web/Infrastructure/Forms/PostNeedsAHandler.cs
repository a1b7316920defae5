using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// A POST (or any write verb) that matches no handler of the page is a 404. Without this, Razor
/// Pages renders the page as if for a GET but without running its OnGet: an empty model, a 500, or
/// a page that skipped its own access check.
/// </summary>
public sealed class PostNeedsAHandler : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method))
        {
            context.Result = new NotFoundResult();
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
