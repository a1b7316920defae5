namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// Absolute URLs (feed, sitemap, hreflang, API links). <c>Site:PublicBaseUrl</c> pins the origin
/// behind a proxy; otherwise the request's own scheme and host are used.
/// </summary>
public static class PublicUrls
{
    public static string Origin(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IConfiguration>()["Site:PublicBaseUrl"];
        return string.IsNullOrWhiteSpace(configured)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : configured.TrimEnd('/');
    }

    /// <summary>An absolute URL for a site path in the current language (PathBase included).</summary>
    public static string Absolute(HttpContext context, string path) =>
        Origin(context) + context.Request.PathBase + path;
}
