using System.Text;
using System.Xml;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Feeds;

/// <summary>
/// sitemaps.org 0.9: every public page once per language, each naming all its language versions
/// (hreflang) and <c>x-default</c>, as search engines ask for multilingual sites.
/// </summary>
public static class Sitemap
{
    public const string Path = "/sitemap.xml";
    public const string ContentType = "application/xml; charset=utf-8";
    public const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    public const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";

    /// <summary>The protocol's limit per file; a larger site would need a sitemap index.</summary>
    public const int MaxUrls = 50_000;

    public static readonly IReadOnlyList<string> FixedPaths = ["/", "/notices", "/about/protection", "/tips/new"];

    public static async Task<IResult> GetAsync(
        HttpContext http, AppDbContext db, NoticeVisibility visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var operations = await db.Operations.AsNoTracking()
            .OrderBy(o => o.Slug)
            .Select(o => o.Slug)
            .ToListAsync(cancellationToken);
        var room = (MaxUrls / SiteCultures.All.Count) - FixedPaths.Count - operations.Count;
        var notices = await db.Notices.AsNoTracking()
            .Where(visibility.ListedAt(now))
            .OrderByDescending(n => n.UpdatedAtUtc)
            .ThenBy(n => n.Reference)
            .Take(Math.Max(0, room))
            .Select(n => new { n.Reference, n.UpdatedAtUtc })
            .ToListAsync(cancellationToken);

        IEnumerable<SitemapPage> pages =
        [
            .. FixedPaths.Select(p => new SitemapPage(p, null)),
            .. operations.Select(slug => new SitemapPage(SiteLinks.OperationPath(slug), null)),
            .. notices.Select(n => new SitemapPage(SiteLinks.NoticePath(n.Reference), n.UpdatedAtUtc)),
        ];
        return Results.Stream(body => WriteAsync(body, http, pages), ContentType);
    }

    private static async Task WriteAsync(Stream body, HttpContext http, IEnumerable<SitemapPage> pages)
    {
        var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true };
        await using var xml = XmlWriter.Create(body, settings);
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

    private static async Task WriteAlternateAsync(XmlWriter xml, string hreflang, string href)
    {
        await xml.WriteStartElementAsync("xhtml", "link", XhtmlNamespace);
        await xml.WriteAttributeStringAsync(null, "rel", null, "alternate");
        await xml.WriteAttributeStringAsync(null, "hreflang", null, hreflang);
        await xml.WriteAttributeStringAsync(null, "href", null, href);
        await xml.WriteEndElementAsync();
    }

    private sealed record SitemapPage(string Path, DateTime? UpdatedAtUtc);
}
