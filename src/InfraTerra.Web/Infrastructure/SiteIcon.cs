using Microsoft.AspNetCore.StaticFiles;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// The site icon (<c>wwwroot/favicon.svg</c>, and <c>favicon.ico</c> drawn from it by
/// <c>tools/make-favicon.py</c>). Browsers ask for it on every page, so it is cached for a week;
/// its address cannot carry a version, so a new drawing reaches browsers within that week.
/// </summary>
public static class SiteIcon
{
    public const string CacheControl = "public, max-age=604800";

    private static readonly HashSet<string> Paths = new(StringComparer.OrdinalIgnoreCase) { "/favicon.ico", "/favicon.svg" };

    public static void CacheLong(StaticFileResponseContext context)
    {
        if (Paths.Contains(context.Context.Request.Path.Value ?? ""))
        {
            context.Context.Response.Headers.CacheControl = CacheControl;
        }
    }
}
