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
        headers.CacheControl = "no-store, max-age=0";
        headers.Pragma = "no-cache";
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
