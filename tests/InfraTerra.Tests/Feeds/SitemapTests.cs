using System.Globalization;
using System.Net;
using System.Xml.Linq;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Feeds;

public sealed class SitemapTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private static readonly XNamespace Sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly string[] Prefixes = ["", "/fr", "/es", "/ar"];

    [Fact]
    public async Task Sitemap_IsAnIndexOfSitemapsOrgChildren_WithOneAbsoluteUniqueLocPerUrl()
    {
        var client = factory.CreateClient();
        var response = await client.GetAsync("/sitemap.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var index = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Sm + "sitemapindex", index.Root!.Name);
        Assert.Equal(["http://localhost/sitemap-notices-1.xml"], index.Root.Elements(Sm + "sitemap").Select(s => s.Element(Sm + "loc")!.Value));

        var child = await client.GetAsync("/sitemap-notices-1.xml");
        Assert.Equal("application/xml", child.Content.Headers.ContentType?.MediaType);
        var sitemap = XDocument.Parse(await child.Content.ReadAsStringAsync());
        Assert.Equal(Sm + "urlset", sitemap.Root!.Name);
        var urls = sitemap.Root.Elements().ToList();
        Assert.All(urls, u => Assert.Equal(Sm + "url", u.Name));
        Assert.All(urls, u => Assert.Single(u.Elements(Sm + "loc")));
        var locs = urls.Select(u => u.Element(Sm + "loc")!.Value).ToList();
        Assert.Equal(locs.Count, locs.Distinct(StringComparer.Ordinal).Count());
        Assert.All(locs, loc => Assert.StartsWith("http://localhost/", loc + "/", StringComparison.Ordinal));
        Assert.InRange(locs.Count, 1, 50_000);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/sitemap-notices-2.xml")).StatusCode);
    }

    [Fact]
    public async Task Sitemap_HasEveryListedNoticeInEveryLanguage_WithFourAlternatesAndXDefault()
    {
        var sitemap = await GetSitemapAsync(factory);
        var listed = await ListedAsync(factory);
        Assert.NotEmpty(listed);

        foreach (var notice in listed)
        {
            var path = $"/notices/{notice.Reference}";
            foreach (var prefix in Prefixes)
            {
                var url = UrlFor(sitemap, $"http://localhost{prefix}{path}");
                Assert.Equal(
                    [
                        ("en", $"http://localhost{path}"),
                        ("fr", $"http://localhost/fr{path}"),
                        ("es", $"http://localhost/es{path}"),
                        ("ar", $"http://localhost/ar{path}"),
                        ("x-default", $"http://localhost{path}"),
                    ],
                    Alternates(url));
                var lastModified = DateTimeOffset.Parse(url.Element(Sm + "lastmod")!.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(notice.UpdatedAtUtc, DateTimeKind.Utc)).ToUnixTimeSeconds(), lastModified.ToUnixTimeSeconds());
            }
        }

        var noticeUrls = sitemap.Root!.Elements(Sm + "url").Count(u => u.Element(Sm + "loc")!.Value.Contains("/notices/", StringComparison.Ordinal));
        Assert.Equal(listed.Count * Prefixes.Length, noticeUrls);
    }

    [Fact]
    public async Task Sitemap_HasHomeListOperationProtectionAndTipForm_AndEveryLocAnswers()
    {
        var sitemap = await GetSitemapAsync(factory);
        var locs = sitemap.Root!.Elements(Sm + "url").Select(u => u.Element(Sm + "loc")!.Value).ToHashSet();

        foreach (var path in new[] { "/notices", "/operations/infra-terra", "/about/protection", "/tips/new" })
        {
            Assert.All(Prefixes, prefix => Assert.Contains($"http://localhost{prefix}{path}", locs));
        }

        Assert.Superset(new HashSet<string> { "http://localhost/", "http://localhost/fr", "http://localhost/es", "http://localhost/ar" }, locs);
        Assert.Equal(
            [("en", "http://localhost/"), ("fr", "http://localhost/fr"), ("es", "http://localhost/es"), ("ar", "http://localhost/ar"), ("x-default", "http://localhost/")],
            Alternates(UrlFor(sitemap, "http://localhost/fr")));
        Assert.DoesNotContain(locs, l => l.Contains("/triage", StringComparison.Ordinal) || l.Contains("/account", StringComparison.Ordinal) || l.Contains("/tips/receipt", StringComparison.Ordinal));

        var client = factory.CreateClient();
        foreach (var loc in locs)
        {
            Assert.True((await client.GetAsync(new Uri(loc))).StatusCode == HttpStatusCode.OK, $"{loc} does not answer 200");
        }
    }

    /// <summary>Every child sitemap the index names, merged into one urlset.</summary>
    internal static async Task<XDocument> GetSitemapAsync(AppFactory app)
    {
        var client = app.CreateClient();
        var response = await client.GetAsync("/sitemap.xml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var index = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var merged = new XElement(Sm + "urlset");
        foreach (var loc in index.Root!.Elements(Sm + "sitemap").Select(s => s.Element(Sm + "loc")!.Value))
        {
            var child = await client.GetAsync(new Uri(loc));
            Assert.Equal(HttpStatusCode.OK, child.StatusCode);
            merged.Add(XDocument.Parse(await child.Content.ReadAsStringAsync()).Root!.Elements());
        }

        return new XDocument(merged);
    }

    private static XElement UrlFor(XDocument sitemap, string loc) =>
        sitemap.Root!.Elements(Sm + "url").Single(u => u.Element(Sm + "loc")!.Value == loc);

    private static List<(string, string)> Alternates(XElement url)
    {
        var links = url.Elements(Xhtml + "link").ToList();
        Assert.All(links, l => Assert.Equal("alternate", l.Attribute("rel")?.Value));
        return links.Select(l => (l.Attribute("hreflang")!.Value, l.Attribute("href")!.Value)).ToList();
    }

    private static Task<List<Notice>> ListedAsync(AppFactory app)
    {
        var listed = app.Services.GetRequiredService<NoticeVisibility>().ListedAt(DateTime.UtcNow);
        return app.ScopedAsync(db => db.Notices.AsNoTracking().Where(listed).ToListAsync());
    }
}
