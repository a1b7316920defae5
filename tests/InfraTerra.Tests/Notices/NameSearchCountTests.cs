using InfraTerra.Tests.Support;
using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Notices;

/// <summary>The compiled count for name searches must count exactly what the general filter query counts.</summary>
public sealed class NameSearchCountTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("the broker")]
    [InlineData("FËISAL")]
    [InlineData("a e i")]
    [InlineData("zzzqqq")]
    public async Task CompiledCount_EqualsTheFilterQuery_ForEveryVisibility(string name)
    {
        using var app = new AppFactory();
        // One notice in each state the listing rule treats differently.
        await NoticePagesTests.SetStatusAsync(app, "2014-90008", NoticeStatus.Arrested, DateTime.UtcNow.AddDays(-1));
        await NoticePagesTests.SetStatusAsync(app, "2014-90007", NoticeStatus.Arrested, DateTime.UtcNow.AddDays(-31));
        await NoticePagesTests.SetStatusAsync(app, "2014-90009", NoticeStatus.Withdrawn, DateTime.UtcNow);
        await NoticePagesTests.SetStatusAsync(app, "2014-90006", NoticeStatus.Located, DateTime.UtcNow);
        await app.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90005");
            notice.IsPublished = false;
            return await db.SaveChangesAsync();
        });
        var visibility = app.Services.GetRequiredService<NoticeVisibility>();
        var now = DateTime.UtcNow;
        var filter = new NoticeFilter { Name = name };

        var (compiled, general) = await app.ScopedAsync(async db => (
            await NameSearchCount.TryCount(db, visibility, filter, now, CancellationToken.None)!,
            await db.Notices.Where(visibility.ListedAt(now)).Matching(filter, DateOnly.FromDateTime(now)).CountAsync()));

        Assert.Equal(general, compiled);
    }

    [Fact]
    public async Task OtherFilters_AndLongNames_AreLeftToTheFilterQuery()
    {
        using var app = new AppFactory();
        var visibility = app.Services.GetRequiredService<NoticeVisibility>();

        await app.ScopedAsync(db =>
        {
            Assert.Null(NameSearchCount.TryCount(db, visibility, new NoticeFilter { Name = "a", Nationality = "TZ" }, DateTime.UtcNow, CancellationToken.None));
            Assert.Null(NameSearchCount.TryCount(db, visibility, new NoticeFilter { Name = "a b c d" }, DateTime.UtcNow, CancellationToken.None));
            return Task.FromResult(0);
        });
    }
}
