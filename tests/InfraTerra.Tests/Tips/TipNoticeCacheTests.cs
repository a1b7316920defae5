using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Tips;

/// <summary>
/// The notice a tip is about comes from memory on the form and its post, yet a change to the
/// notice is seen by the very next request, and the time-based rules follow the clock.
/// </summary>
public sealed class TipNoticeCacheTests
{
    [Fact]
    public async Task NoticeOnTheTipForm_IsReadOnce_ThenFromMemory_AndAWithdrawalIsSeenByTheNextRequest()
    {
        var counter = new CommandCounter();
        using var factory = new AppFactory { ExtraServices = s => s.AddSingleton<IInterceptor>(counter) };
        var client = Clients.New(factory);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tips/new?notice=2014-90001")).StatusCode);

        counter.Reset();
        for (var i = 0; i < 3; i++)
        {
            var page = await Html.ParseAsync(await client.GetAsync("/tips/new?notice=2014-90001"));
            Assert.Contains("May be armed", page.QuerySelector(".caution")!.TextContent, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(counter.Commands, sql => sql.Contains("\"Notices\"", StringComparison.Ordinal));

        await Notices.NoticePagesTests.SetStatusAsync(factory, "2014-90001", NoticeStatus.Withdrawn, DateTime.UtcNow);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/tips/new?notice=2014-90001")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/tips/new?notice=2099-99999")).StatusCode);
    }

    [Fact]
    public async Task ArrestMadeWhileTheFormIsOpen_IsRefusedOnThePost_AndTheFormGoesWhenTheGracePeriodEnds()
    {
        var clock = new TestClock();
        var counter = new CommandCounter();
        using var factory = new AppFactory
        {
            ExtraServices = s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IInterceptor>(counter),
        };
        var client = Clients.New(factory);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new?notice=2014-90003"));
        var fields = Html.FormFields(page);
        fields["Input.Description"] = "Seen boarding a ferry this morning.";
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);

        await Notices.NoticePagesTests.SetStatusAsync(factory, "2014-90003", NoticeStatus.Arrested, clock.GetUtcNow().UtcDateTime);
        var refused = await Html.ParseAsync(await client.PostAsync("/tips/new?notice=2014-90003", new FormUrlEncodedContent(fields)));

        Assert.Contains("no longer sought", refused.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Tips)));

        // Still shown during the grace period (read from memory), gone after it without any change saved.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tips/new?notice=2014-90003")).StatusCode);
        counter.Reset();
        clock.Advance(NoticeVisibility.DefaultArrestedGracePeriod + TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/tips/new?notice=2014-90003")).StatusCode);
        Assert.DoesNotContain(counter.Commands, sql => sql.Contains("\"Notices\"", StringComparison.Ordinal));
    }
}
