using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Notices;

public sealed class OutputCacheTests
{
    private static AppFactory CountingApp(CommandCounter counter) =>
        new() { ExtraServices = services => services.AddSingleton<IInterceptor>(counter) };

    [Fact]
    public async Task RepeatedPublicPage_IsServedFromTheCacheWithoutTouchingTheDatabase()
    {
        var counter = new CommandCounter();
        using var factory = CountingApp(counter);
        var client = factory.CreateClient();
        await client.GetAsync("/notices/2014-90002");

        counter.Reset();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/notices/2014-90002")).StatusCode);
        }

        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task ConcurrentRequestsAfterAnEviction_RenderThePageOnce()
    {
        var counter = new CommandCounter();
        using var factory = CountingApp(counter);
        var client = factory.CreateClient();
        await client.GetAsync("/notices?category=wildlife");

        // One render after an eviction: the page's queries plus the filter lists it recomputes.
        await NoticePagesTests.SetStatusAsync(factory, "2014-90003", NoticeStatus.Wanted, DateTime.UtcNow);
        counter.Reset();
        await client.GetAsync("/notices?category=timber");
        var oneRender = counter.Count;
        var oneRenderCommands = string.Join("\n", counter.Commands);
        Assert.True(oneRender > 0);

        await NoticePagesTests.SetStatusAsync(factory, "2014-90003", NoticeStatus.Wanted, DateTime.UtcNow);
        counter.Reset();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/notices?category=wildlife")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // Seen once in CI with 7 commands against 5 (not reproduced in 6 runs alone): say which.
        Assert.True(
            oneRender == counter.Count,
            $"One render sent {oneRender} commands:\n{oneRenderCommands}\nTwenty concurrent requests sent {counter.Count}:\n{string.Join("\n", counter.Commands)}");
    }

    [Fact]
    public async Task ChangingANotice_EvictsItsCachedPagesAtOnce()
    {
        using var factory = new AppFactory();
        var client = factory.CreateClient();
        Assert.DoesNotContain("Freshly changed caution", await client.GetStringAsync("/notices/2014-90002"), StringComparison.Ordinal);
        Assert.Contains("/notices/2014-90002", await client.GetStringAsync("/notices?q=marlowe"), StringComparison.Ordinal);

        await factory.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90002");
            notice.Caution = "Freshly changed caution";
            notice.FamilyName = "Renamed";
            notice.RefreshSearchName();
            return await db.SaveChangesAsync();
        });

        Assert.Contains("Freshly changed caution", await client.GetStringAsync("/notices/2014-90002"), StringComparison.Ordinal);
        Assert.DoesNotContain("/notices/2014-90002", await client.GetStringAsync("/notices?q=marlowe"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABulkChangeThatBypassesEviction_IsStillServedStale_UntilTheEntryExpires()
    {
        // The other side of the previous test: proves the page really is cached, so eviction matters.
        using var factory = new AppFactory();
        var client = factory.CreateClient();
        await client.GetStringAsync("/notices/2014-90002");

        await factory.ScopedAsync(db => db.Notices.Where(n => n.Reference == "2014-90002")
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Caution, "Changed behind the cache's back")));

        Assert.DoesNotContain("Changed behind the cache's back", await client.GetStringAsync("/notices/2014-90002"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_VariesByLanguageAndQuery()
    {
        using var factory = new AppFactory();
        var client = factory.CreateClient();

        var english = await Html.ParseAsync(await client.GetAsync("/notices"));
        var arabic = await Html.ParseAsync(await client.GetAsync("/ar/notices"));
        var filtered = await Html.ParseAsync(await client.GetAsync("/notices?category=pollution"));

        Assert.Equal("en", english.DocumentElement.GetAttribute("lang"));
        Assert.Equal("ar", arabic.DocumentElement.GetAttribute("lang"));
        Assert.Equal(10, english.QuerySelectorAll(".notice-card").Length);
        Assert.Equal(2, filtered.QuerySelectorAll(".notice-card").Length);
    }

    [Fact]
    public async Task SignedInOfficer_NeitherGetsNorFillsThePublicCache()
    {
        using var factory = new AppFactory();
        var anonymous = factory.CreateClient();
        await anonymous.GetStringAsync("/notices");

        var officer = await Officers.SignInFirstTimeAsync(factory, "cache@example.org", Roles.Officer);
        var officerView = await Html.ParseAsync(await officer.GetAsync("/notices"));
        Assert.NotNull(officerView.QuerySelector("a[href='/triage']"));

        var publicView = await Html.ParseAsync(await anonymous.GetAsync("/notices"));
        Assert.Null(publicView.QuerySelector("a[href='/triage']"));
        Assert.DoesNotContain("Sign out", publicView.Body!.TextContent, StringComparison.Ordinal);
    }
}
