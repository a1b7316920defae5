using System.Diagnostics;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Notices;

/// <summary>The in-memory catalogue follows the database: at once on the node that saved, within the refresh interval on another.</summary>
public sealed class CatalogueFreshnessTests
{
    [Fact]
    public async Task ChangeSavedOnThisNode_ShowsInTheNextSearch_AndAWithdrawnNoticeIsGoneAtOnce()
    {
        using var app = new AppFactory();
        var client = app.CreateClient();
        Assert.Contains("/notices/2014-90004", await client.GetStringAsync("/notices?q=torrance"), StringComparison.Ordinal);

        await RenameAsync(app, "2014-90004", "Quillfeather");
        await NoticePagesTests.SetStatusAsync(app, "2014-90009", NoticeStatus.Withdrawn, DateTime.UtcNow);

        Assert.Contains("/notices/2014-90004", await client.GetStringAsync("/notices?q=quillfeather"), StringComparison.Ordinal);
        Assert.DoesNotContain("/notices/2014-90004", await client.GetStringAsync("/notices?q=torrance&sort=updated"), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Gone, (await client.GetAsync("/notices/2014-90009")).StatusCode);
        Assert.DoesNotContain("/notices/2014-90009", await client.GetStringAsync("/notices?q=dmitri"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeSavedOnAnotherNode_ShowsWithinTheRefreshInterval()
    {
        // Two app instances on one SQLite file, as two nodes on one database; the second reads the version each second.
        using var first = new AppFactory();
        var firstClient = first.CreateClient();
        Assert.Contains("/notices/2014-90003", await firstClient.GetStringAsync("/notices?q=velusamy"), StringComparison.Ordinal);
        using var second = new AppFactory(new() { ["DataFolder"] = first.DataFolder, ["Catalogue:RefreshSeconds"] = "1" });
        var secondClient = second.CreateClient();
        Assert.Contains("/notices/2014-90003", await secondClient.GetStringAsync("/notices?q=velusamy"), StringComparison.Ordinal);

        await RenameAsync(first, "2014-90003", "Brightwater");

        var clock = Stopwatch.StartNew();
        var attempt = 0;
        while (!(await secondClient.GetStringAsync($"/notices?q=brightwater&page=1&sex=F&attempt={attempt++}")).Contains("/notices/2014-90003", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), "The second node did not see the change within 6 s (refresh every 1 s).");
            await Task.Delay(100);
        }

        Assert.DoesNotContain("/notices/2014-90003", await secondClient.GetStringAsync("/notices?q=velusamy&after=change"), StringComparison.Ordinal);
    }

    internal static Task<int> RenameAsync(AppFactory app, string reference, string familyName) =>
        app.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == reference);
            notice.FamilyName = familyName;
            notice.RefreshSearchName();
            notice.UpdatedAtUtc = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
}
