using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Notices;

namespace InfraTerra.Tests.Notices;

public sealed class NoticePagingTests
{
    [Fact]
    public async Task ManyNotices_ArePagedWithLinksThatKeepTheFilters()
    {
        using var factory = new AppFactory();
        await factory.ScopedAsync(async db =>
        {
            for (var i = 0; i < 40; i++)
            {
                var notice = new Notice
                {
                    Reference = $"2020-{i:00000}",
                    FamilyName = $"Pagetest{i:00}",
                    Forenames = "Sample",
                    Sex = Sex.Female,
                    Nationalities = ["FR"],
                    Categories = [CrimeCategory.Timber],
                    Summary = "SAMPLE DATA.",
                    IsPublished = true,
                    IsSample = true,
                    UpdatedAtUtc = DateTime.UtcNow,
                    StatusChangedAtUtc = DateTime.UtcNow,
                };
                notice.RefreshSearchName();
                db.Notices.Add(notice);
            }

            return await db.SaveChangesAsync();
        });
        var client = factory.CreateClient();

        var first = await Html.ParseAsync(await client.GetAsync("/notices?q=pagetest&sex=F"));
        Assert.Contains("40 notices found", first.QuerySelector("#result-count")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(IndexModel.PageSize, first.QuerySelectorAll(".notice-card").Length);
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        Assert.Equal("/notices?q=pagetest&sex=F&page=2", next);
        Assert.Null(first.QuerySelector("a[rel=prev]"));

        var second = await Html.ParseAsync(await client.GetAsync(next));
        Assert.Equal(40 - IndexModel.PageSize, second.QuerySelectorAll(".notice-card").Length);
        Assert.Equal("/notices?q=pagetest&sex=F", second.QuerySelector("a[rel=prev]")!.GetAttribute("href"));
        Assert.Null(second.QuerySelector("a[rel=next]"));
        Assert.Contains("Page 2 of 2", second.QuerySelector(".pager")!.TextContent, StringComparison.Ordinal);
    }
}
