using System.Xml.Linq;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Feeds;

/// <summary>A notice leaves the feed and the sitemap exactly when it leaves the public list.</summary>
public sealed class ListingChangesTests
{
    [Fact]
    public async Task WithdrawnAndLongArrestedNotices_LeaveFeedAndSitemap_RecentlyArrestedStay()
    {
        using var app = new AppFactory();
        await SetStatusAsync(app, "2014-90008", NoticeStatus.Arrested, DateTime.UtcNow.AddDays(-31));
        await SetStatusAsync(app, "2014-90007", NoticeStatus.Arrested, DateTime.UtcNow.AddDays(-1));

        var before = await ReferencesAsync(app);
        Assert.All(before, listed =>
        {
            Assert.DoesNotContain("2014-90008", listed);
            Assert.Contains("2014-90007", listed);
            Assert.Contains("2014-90009", listed);
        });

        // A tracked save, as officers' edits are, so this node's cached feed and sitemap are evicted at once.
        await app.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90009");
            notice.Status = NoticeStatus.Withdrawn;
            notice.StatusChangedAtUtc = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });

        var after = await ReferencesAsync(app);
        Assert.All(after, listed =>
        {
            Assert.DoesNotContain("2014-90009", listed);
            Assert.DoesNotContain("2014-90008", listed);
            Assert.Contains("2014-90007", listed);
            Assert.Contains("2014-90001", listed);
        });
    }

    /// <summary>The notice references the feed, then the sitemap, link to.</summary>
    private static async Task<HashSet<string>[]> ReferencesAsync(AppFactory app)
    {
        var feed = await NoticeFeedTests.GetFeedAsync(app);
        var sitemap = await SitemapTests.GetSitemapAsync(app);
        return [ReferencesIn(feed, AtomRules.Atom + "id"), ReferencesIn(sitemap, XName.Get("loc", "http://www.sitemaps.org/schemas/sitemap/0.9"))];
    }

    private static HashSet<string> ReferencesIn(XDocument document, XName element) =>
        document.Descendants(element)
            .Select(e => e.Value)
            .Where(url => url.Contains("/notices/", StringComparison.Ordinal))
            .Select(url => url[(url.LastIndexOf('/') + 1)..])
            .ToHashSet();

    private static Task<int> SetStatusAsync(AppFactory app, string reference, NoticeStatus status, DateTime changedAt) =>
        app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, status).SetProperty(n => n.StatusChangedAtUtc, changedAt)));
}
