using InfraTerra.Web.Infrastructure.Caching;
using InfraTerra.Web.Infrastructure.Localization;

namespace InfraTerra.Web.Features.Feeds;

/// <summary>The machine-readable public URLs: the Atom feed, the sitemap and robots.txt.</summary>
public static class FeedEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(NoticeFeed.Path, GetOrHead, NoticeFeed.GetAsync).AtSiteRootOnly().CacheOutput(PublicCache.Policy);
        endpoints.MapMethods(Sitemap.Path, GetOrHead, Sitemap.GetIndexAsync).AtSiteRootOnly().CacheOutput(PublicCache.Policy);
        endpoints.MapMethods(Sitemap.ChildPathPrefix + "{number:int}.xml", GetOrHead, Sitemap.GetChildAsync).AtSiteRootOnly().CacheOutput(PublicCache.Policy);
        endpoints.MapMethods(RobotsTxt.Path, GetOrHead, RobotsTxt.Get).AtSiteRootOnly().CacheOutput(PublicCache.Policy);
        return endpoints;
    }

    // Crawlers read robots.txt only at the host's root and accept sitemap URLs only under the
    // sitemap's own folder, so /fr/robots.txt or /fr/sitemap.xml would be wrong, not just redundant.
    private static RouteHandlerBuilder AtSiteRootOnly(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.CurrentLanguage() == SiteCultures.Default ? await next(context) : Results.NotFound());
}
