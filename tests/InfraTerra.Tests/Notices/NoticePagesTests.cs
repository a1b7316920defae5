using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Notices;

public sealed class NoticePagesTests(SharedApp factory) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task List_OnFirstRun_ShowsTheSampleNoticesLabelledAsSample()
    {
        var response = await factory.CreateClient().GetAsync("/notices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var cards = page.QuerySelectorAll(".notice-card");
        Assert.True(cards.Length >= 9, $"expected at least nine sample notices, saw {cards.Length}");
        Assert.All(cards, card => Assert.Contains("SAMPLE DATA", card.TextContent, StringComparison.Ordinal));
        var categories = factory.Scoped(db => db.Notices.Select(n => n.Categories).ToList()).SelectMany(c => c).ToHashSet();
        Assert.Superset(new HashSet<CrimeCategory> { CrimeCategory.Wildlife, CrimeCategory.Timber, CrimeCategory.Fisheries, CrimeCategory.Pollution }, categories);
    }

    [Theory]
    [InlineData("feisal", "2014-90001")]
    [InlineData("FËISAL ondrako", "2014-90001")]
    [InlineData("zelezny", "2014-90005")]
    public async Task List_SearchIgnoresCaseAndAccents(string query, string expectedReference)
    {
        var response = await factory.CreateClient().GetAsync($"/notices?q={Uri.EscapeDataString(query)}");

        var page = await Html.ParseAsync(response);
        var links = page.QuerySelectorAll(".notice-card a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/notices/{expectedReference}"], links);
    }

    [Fact]
    public async Task List_SearchWithNoMatch_ShowsAHelpfulEmptyState()
    {
        var response = await factory.CreateClient().GetAsync("/notices?q=nobody-by-this-name");

        var page = await Html.ParseAsync(response);
        Assert.Empty(page.QuerySelectorAll(".notice-card"));
        Assert.Contains("No notice matches your search", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='/notices']"));
    }


    [Fact]
    public async Task Detail_ShowsCautionAndAReportLinkForThatNotice()
    {
        var response = await factory.CreateClient().GetAsync("/notices/2014-90001");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("Ondrako", page.QuerySelector("h1")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("May be armed", page.QuerySelector(".caution")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='/tips/new?notice=2014-90001']"));
        var photo = page.QuerySelector(".detail img")!;
        Assert.False(string.IsNullOrWhiteSpace(photo.GetAttribute("alt")));
        var image = await factory.CreateClient().GetAsync(photo.GetAttribute("src"));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", image.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/notices/2099-00000")]
    [InlineData("/notices/%3Cscript%3E")]
    [InlineData("/no-such-page")]
    public async Task UnknownAddress_GetsTheFriendly404Page(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Detail_OfWithdrawnNotice_AnswersGoneAndLeavesTheList()
    {
        using var own = new AppFactory();
        await SetStatusAsync(own, "2014-90009", NoticeStatus.Withdrawn, DateTime.UtcNow);
        var client = own.CreateClient();

        var detail = await client.GetAsync("/notices/2014-90009");
        var list = await (await client.GetAsync("/notices")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, detail.StatusCode);
        Assert.DoesNotContain("/notices/2014-90009", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_OfRecentlyArrested_ShowsBannerAndNoReportLink_ThenLeavesAfterGracePeriod()
    {
        using var own = new AppFactory();
        await SetStatusAsync(own, "2014-90008", NoticeStatus.Arrested, DateTime.UtcNow.AddDays(-1));
        var client = own.CreateClient();

        var recent = await Html.ParseAsync(await client.GetAsync("/notices/2014-90008"));
        Assert.Contains("no longer sought", recent.QuerySelector(".banner")!.TextContent, StringComparison.Ordinal);
        Assert.Null(recent.QuerySelector("main a[href^='/tips/new?notice=']"));

        await SetStatusAsync(own, "2014-90008", NoticeStatus.Arrested, DateTime.UtcNow.AddDays(-31));
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync("/notices/2014-90008")).StatusCode);
        Assert.DoesNotContain("/notices/2014-90008", await client.GetStringAsync("/notices"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_ShowsTheAppealFeaturedNoticesAndSafetyNote()
    {
        var page = await Html.ParseAsync(await factory.CreateClient().GetAsync("/"));

        Assert.Contains("INFRA-Terra", page.QuerySelector("#appeal-heading")!.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.QuerySelectorAll(".notice-card"));
        Assert.Contains("emergency services", page.QuerySelector("#safety-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>A tracked change, as an officer's edit would make it: the node evicts its cached pages.</summary>
    internal static Task<int> SetStatusAsync(AppFactory app, string reference, NoticeStatus status, DateTime changedAt) =>
        app.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == reference);
            notice.Status = status;
            notice.StatusChangedAtUtc = changedAt;
            notice.UpdatedAtUtc = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
}
