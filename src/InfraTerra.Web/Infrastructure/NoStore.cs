using Microsoft.AspNetCore.Mvc.Filters;

namespace InfraTerra.Web.Infrastructure;

/// <summary>For pages that show a receipt, a tip or an officer's view: never kept by a browser or proxy.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NoStoreAttribute : Attribute, IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        // The same value antiforgery sets, so forms with a token do not trigger its override warning.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
