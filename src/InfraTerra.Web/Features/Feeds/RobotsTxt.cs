using System.Text;
using InfraTerra.Web.Infrastructure.Localization;

namespace InfraTerra.Web.Features.Feeds;

/// <summary>Crawlers may read every public page; officer pages and a tipster's own pages stay out of search engines.</summary>
public static class RobotsTxt
{
    public const string Path = "/robots.txt";
    public const string ContentType = "text/plain; charset=utf-8";

    public static readonly IReadOnlyList<string> PrivatePaths =
        ["/triage", "/account", "/admin", "/tips/receipt", "/tips/follow-up"];

    public static IResult Get(HttpContext http)
    {
        var pathBase = http.Request.PathBase.Value ?? "";
        var text = new StringBuilder("User-agent: *\n");
        // Every page also answers under each language prefix (/fr/triage is /triage in French).
        foreach (var language in SiteCultures.All)
        {
            foreach (var path in PrivatePaths)
            {
                text.Append("Disallow: ").Append(pathBase).Append(SiteCultures.Prefix(language)).Append(path).Append('\n');
            }
        }

        text.Append("Allow: ").Append(pathBase).Append("/\n\n");
        text.Append("Sitemap: ").Append(SiteLinks.Absolute(http, Sitemap.Path)).Append('\n');
        return Results.Text(text.ToString(), ContentType, Encoding.UTF8);
    }
}
