using System.Net;
using System.Xml.Linq;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Feeds;

/// <summary>The sitemap index splits the public pages into children that each keep the protocol's limits.</summary>
public sealed class SitemapIndexTests
{
    private static readonly XNamespace Sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    [Fact]
    public async Task SmallUrlLimit_SplitsThePagesIntoChildren_EachWithinTheLimit_TogetherEveryPageOnce()
    {
        // 48 URLs per file: two pages (each 4 languages x (1 loc + 5 alternates) = 24 URLs).
        using var app = new AppFactory(new() { ["Sitemaps:UrlsPerFile"] = "50" });
        var client = app.CreateClient();

        var index = XDocument.Parse(await client.GetStringAsync("/sitemap.xml"));
        Assert.Equal(Sm + "sitemapindex", index.Root!.Name);
        var children = index.Root.Elements(Sm + "sitemap").Select(s => s.Element(Sm + "loc")!.Value).ToList();

        // 4 fixed pages, 1 operation, 10 notices: 15 pages, 8 files.
        Assert.Equal([.. Enumerable.Range(1, 8).Select(n => $"http://localhost/sitemap-notices-{n}.xml")], children);
        var locs = new List<string>();
        foreach (var child in children)
        {
            var response = await client.GetAsync(new Uri(child));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.InRange(bytes.Length, 1, 50 * 1024 * 1024);
            var urlset = XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Root!;
            var urlCount = urlset.Elements(Sm + "url").Count() + urlset.Descendants(Xhtml + "link").Count();
            Assert.InRange(urlCount, 1, 50);
            locs.AddRange(urlset.Elements(Sm + "url").Select(u => u.Element(Sm + "loc")!.Value));
        }

        Assert.Equal(15 * 4, locs.Count);
        Assert.Equal(locs.Count, locs.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("http://localhost/ar/notices/2014-90010", locs);

        // A notice's child names its newest change; past the last child there is nothing.
        Assert.All(index.Root.Elements(Sm + "sitemap").Skip(3), s => Assert.NotNull(s.Element(Sm + "lastmod")));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/sitemap-notices-9.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/sitemap-notices-0.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/fr/sitemap-notices-1.xml")).StatusCode);
    }
}
