using System.Net;
using System.Xml.Linq;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Feeds;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Feeds;

public sealed class NoticeFeedTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private static readonly XNamespace Atom = AtomRules.Atom;

    [Fact]
    public async Task Feed_IsAtomInTheAtomNamespace_AndMeetsRfc4287()
    {
        var response = await factory.CreateClient().GetAsync("/feeds/notices.atom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Atom + "feed", feed.Root!.Name);
        Assert.Empty(AtomRules.Violations(feed));
        Assert.Equal("http://localhost/feeds/notices.atom", Link(feed.Root, "self"));
        Assert.Equal("http://localhost/notices", Link(feed.Root, "alternate"));
    }

    [Fact]
    public async Task Feed_HasEveryListedNotice_NewestUpdatedFirst()
    {
        var feed = await GetFeedAsync(factory);
        var listed = await ListedNewestFirstAsync(factory);

        var entries = feed.Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(listed.Select(n => $"http://localhost/notices/{n.Reference}"), entries.Select(e => e.Element(Atom + "id")!.Value));
        var updated = entries.Select(e => DateTimeOffset.Parse(e.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(updated.OrderDescending(), updated);
        Assert.Equal(updated.Max(), DateTimeOffset.Parse(feed.Root.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(
            new DateTimeOffset(DateTime.SpecifyKind(listed[0].UpdatedAtUtc, DateTimeKind.Utc)).ToUnixTimeSeconds(),
            updated[0].ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Entry_LinksTheAbsoluteNoticePage_AndCarriesNameSummaryLanguageAndCategories()
    {
        var feed = await GetFeedAsync(factory);

        var entry = EntryFor(feed, "2014-90005");
        Assert.Equal("ŽELEZNÝ, Radek", entry.Element(Atom + "title")!.Value);
        var summary = entry.Element(Atom + "summary")!;
        Assert.Equal("en", summary.Attribute(XNamespace.Xml + "lang")?.Value);
        Assert.StartsWith("SAMPLE DATA", summary.Value, StringComparison.Ordinal);
        Assert.Equal(["timber", "other"], entry.Elements(Atom + "category").Select(c => c.Attribute("term")!.Value));
        var href = Link(entry, "alternate");
        Assert.Equal("http://localhost/notices/2014-90005", href);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync(new Uri(href!))).StatusCode);
        Assert.All(feed.Root!.Elements(Atom + "entry"), e => Assert.StartsWith("SAMPLE DATA", e.Element(Atom + "summary")!.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feed_KeepsTheHundredMostRecentlyUpdated_AndLabelsEverySample()
    {
        using var own = new AppFactory();
        var start = DateTime.UtcNow;
        await own.ScopedAsync(db =>
        {
            for (var i = 0; i < 120; i++)
            {
                var notice = new Notice
                {
                    Reference = $"2014-{80000 + i}",
                    FamilyName = $"Testperson{i}",
                    Forenames = "Generated",
                    Summary = "Generated for a feed test.",
                    Categories = [CrimeCategory.Other],
                    IsPublished = true,
                    IsSample = true,
                    UpdatedAtUtc = start.AddMinutes(i),
                    StatusChangedAtUtc = start,
                };
                notice.RefreshSearchName();
                db.Notices.Add(notice);
            }

            return db.SaveChangesAsync();
        });

        var feed = await GetFeedAsync(own);

        var entries = feed.Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(NoticeFeed.MaxEntries, entries.Count);
        Assert.Empty(AtomRules.Violations(feed));
        Assert.Equal(
            Enumerable.Range(20, 100).Reverse().Select(i => $"http://localhost/notices/2014-{80000 + i}"),
            entries.Select(e => e.Element(Atom + "id")!.Value));
        Assert.All(entries, e => Assert.StartsWith("SAMPLE DATA", e.Element(Atom + "summary")!.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feed_WithAPublicBaseUrl_UsesItForEveryLinkAndId()
    {
        using var own = new AppFactory(new() { ["Site:PublicBaseUrl"] = "https://wanted.example.org/" });

        var feed = await GetFeedAsync(own);

        Assert.Equal("https://wanted.example.org/feeds/notices.atom", feed.Root!.Element(Atom + "id")!.Value);
        Assert.Equal("https://wanted.example.org/notices/2014-90001", Link(EntryFor(feed, "2014-90001"), "alternate"));
        Assert.DoesNotContain("localhost", feed.ToString(), StringComparison.Ordinal);
    }

    internal static async Task<XDocument> GetFeedAsync(AppFactory app)
    {
        var response = await app.CreateClient().GetAsync("/feeds/notices.atom");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static Task<List<Notice>> ListedNewestFirstAsync(AppFactory app)
    {
        var listed = app.Services.GetRequiredService<NoticeVisibility>().ListedAt(DateTime.UtcNow);
        return app.ScopedAsync(db => db.Notices.AsNoTracking().Where(listed)
            .OrderByDescending(n => n.UpdatedAtUtc).ThenBy(n => n.Reference).ToListAsync());
    }

    private static XElement EntryFor(XDocument feed, string reference) =>
        feed.Root!.Elements(Atom + "entry").Single(e => Link(e, "alternate")!.EndsWith("/notices/" + reference, StringComparison.Ordinal));

    private static string? Link(XElement parent, string rel) =>
        parent.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href")?.Value;
}
