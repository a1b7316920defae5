using System.Globalization;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Localization;

namespace InfraTerra.Web.Features.Feeds;

/// <summary>Absolute URLs and dates as feeds and sitemaps write them.</summary>
internal static class SiteLinks
{
    /// <summary>Absolute URL of a site page in <paramref name="language"/>; the request must be at the site root.</summary>
    public static string Absolute(HttpContext context, string path, string language = SiteCultures.Default)
    {
        var prefix = SiteCultures.Prefix(language);
        return PublicUrls.Absolute(context, prefix.Length > 0 && path == "/" ? prefix : prefix + path);
    }

    public static string NoticePath(string reference) => "/notices/" + Uri.EscapeDataString(reference);

    public static string OperationPath(string slug) => "/operations/" + Uri.EscapeDataString(slug);

    /// <summary>RFC 3339 (and W3C Datetime), whole seconds: some feed readers reject seven-digit fractions.</summary>
    public static string Timestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
