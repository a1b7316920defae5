using System.Globalization;
using System.Text;
using System.Xml;
using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Infrastructure.Localization;

namespace InfraTerra.Web.Features.Feeds;

/// <summary>
/// sitemaps.org 0.9: <c>/sitemap.xml</c> is a sitemap index naming child sitemaps
/// (<c>/sitemap-notices-{n}.xml</c>); each child lists public pages once per language, each naming all
/// its language versions (hreflang) and <c>x-default</c>, as search engines ask for multilingual sites.
/// A child holds at most <see cref="MaxUrls"/> URLs (every loc and every alternate href counted) and
/// stays under <see cref="MaxBytes"/>: the catalogue can grow without a file breaking the protocol's limits.
/// </summary>
public static class Sitemap
{
    public const string Path = "/sitemap.xml";
    public const string ChildPathPrefix = "/sitemap-notices-";
    public const string ContentType = "application/xml; charset=utf-8";
    public const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    public const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";

    /// <summary>The protocol's limits per file.</summary>
    public const int MaxUrls = 50_000;

    public const int MaxBytes = 50 * 1024 * 1024;

    // What one URL costs in a file besides its own characters, at most: the <url>, <loc> and <lastmod>
    // markup shared by its alternates, or an <xhtml:link rel="alternate" hreflang=".." href=""/> line.
    private const int MarkupPerUrl = 96;

    public static readonly IReadOnlyList<string> FixedPaths = ["/", "/notices", "/about/protection", "/tips/new"];

    public static string ChildPath(int number) => ChildPathPrefix + number.ToString(CultureInfo.InvariantCulture) + ".xml";

    /// <summary>The sitemap index.</summary>
    public static async Task<IResult> GetIndexAsync(
        HttpContext http, PublicCatalogue catalogue, IConfiguration configuration, TimeProvider clock, CancellationToken cancellationToken)
    {
        var files = Files(http, await catalogue.GetAsync(cancellationToken), configuration, clock.GetUtcNow().UtcDateTime);
        return Results.Stream(body => WriteIndexAsync(body, http, files), ContentType);
    }

    /// <summary>One child sitemap; a number past the last is a 404.</summary>
    public static async Task<IResult> GetChildAsync(
        int number, HttpContext http, PublicCatalogue catalogue, IConfiguration configuration, TimeProvider clock, CancellationToken cancellationToken)
    {
        var files = Files(http, await catalogue.GetAsync(cancellationToken), configuration, clock.GetUtcNow().UtcDateTime);
        if (number < 1 || number > files.Count)
        {
            return Results.NotFound();
        }

        return Results.Stream(body => WriteChildAsync(body, http, files[number - 1]), ContentType);
    }

    /// <summary>
    /// The public pages, cut into files: fixed pages and operations first, then the listed notices, most
    /// recently updated first. How many pages a file takes is the smaller of the URL limit and the byte
    /// limit divided by the largest a page can be here (its longest URL, in every language).
    /// </summary>
    internal static List<IReadOnlyList<SitemapPage>> Files(HttpContext http, CatalogueSnapshot snapshot, IConfiguration configuration, DateTime nowUtc)
    {
        var notices = snapshot.Search(new NoticeFilter(), NoticeSort.Updated, nowUtc, 0, int.MaxValue).Notices;
        List<SitemapPage> pages =
        [
            .. FixedPaths.Select(p => new SitemapPage(p, null)),
            .. snapshot.Operations.OrderBy(o => o.Slug, StringComparer.Ordinal).Select(o => new SitemapPage(SiteLinks.OperationPath(o.Slug), null)),
            .. notices.Select(n => new SitemapPage(SiteLinks.NoticePath(n.Reference), n.UpdatedAtUtc)),
        ];

        var languages = SiteCultures.All.Count;
        var urlsPerPage = languages * (1 + languages + 1);
        var urlLimit = Math.Clamp(configuration.GetValue("Sitemaps:UrlsPerFile", MaxUrls), urlsPerPage, MaxUrls);
        var longestUrl = pages.Max(p => SiteCultures.All.Max(l => SiteLinks.Absolute(http, p.Path, l).Length));
        var bytesPerPage = urlsPerPage * (longestUrl + MarkupPerUrl);
        var pagesPerFile = Math.Max(1, Math.Min(urlLimit / urlsPerPage, (MaxBytes - 1024) / bytesPerPage));
        return [.. pages.Chunk(pagesPerFile).Select(chunk => (IReadOnlyList<SitemapPage>)chunk)];
    }

    private static async Task WriteIndexAsync(Stream body, HttpContext http, List<IReadOnlyList<SitemapPage>> files)
    {
        await using var xml = XmlWriter.Create(body, Settings());
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "sitemapindex", Namespace);
        for (var i = 0; i < files.Count; i++)
        {
            await xml.WriteStartElementAsync(null, "sitemap", Namespace);
            await xml.WriteElementStringAsync(null, "loc", Namespace, SiteLinks.Absolute(http, ChildPath(i + 1)));
            if (files[i].Max(p => p.UpdatedAtUtc) is { } updated)
            {
                await xml.WriteElementStringAsync(null, "lastmod", Namespace, SiteLinks.Timestamp(updated));
            }

            await xml.WriteEndElementAsync();
        }

        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    private static async Task WriteChildAsync(Stream body, HttpContext http, IReadOnlyList<SitemapPage> pages)
    {
        await using var xml = XmlWriter.Create(body, Settings());
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "urlset", Namespace);
        await xml.WriteAttributeStringAsync("xmlns", "xhtml", null, XhtmlNamespace);
        foreach (var page in pages)
        {
            var lastModified = page.UpdatedAtUtc is { } updated ? SiteLinks.Timestamp(updated) : null;
            foreach (var language in SiteCultures.All)
            {
                await xml.WriteStartElementAsync(null, "url", Namespace);
                await xml.WriteElementStringAsync(null, "loc", Namespace, SiteLinks.Absolute(http, page.Path, language));
                if (lastModified is not null)
                {
                    await xml.WriteElementStringAsync(null, "lastmod", Namespace, lastModified);
                }

                foreach (var alternate in SiteCultures.All)
                {
                    await WriteAlternateAsync(xml, alternate, SiteLinks.Absolute(http, page.Path, alternate));
                }

                await WriteAlternateAsync(xml, "x-default", SiteLinks.Absolute(http, page.Path));
                await xml.WriteEndElementAsync();
            }
        }

        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    private static XmlWriterSettings Settings() => new() { Async = true, Encoding = new UTF8Encoding(false), Indent = true };

    private static async Task WriteAlternateAsync(XmlWriter xml, string hreflang, string href)
    {
        await xml.WriteStartElementAsync("xhtml", "link", XhtmlNamespace);
        await xml.WriteAttributeStringAsync(null, "rel", null, "alternate");
        await xml.WriteAttributeStringAsync(null, "hreflang", null, hreflang);
        await xml.WriteAttributeStringAsync(null, "href", null, href);
        await xml.WriteEndElementAsync();
    }

    internal sealed record SitemapPage(string Path, DateTime? UpdatedAtUtc);
}
