using System.Globalization;
using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Operations;

/// <summary>The app in the Development environment, where generating sample notices needs no switch.</summary>
public sealed class DevelopmentApp() : AppFactory(environment: "Development");

public sealed class GenerateNoticesTests(DevelopmentApp factory) : IClassFixture<DevelopmentApp>
{
    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, args, output);
        return (exit, output.ToString());
    }

    private Task<List<Notice>> GeneratedAsync() => factory.ScopedAsync(db => db.Notices.AsNoTracking()
        .Include(n => n.Photos).Include(n => n.Warrants).Include(n => n.Operations)
        .Where(n => n.Reference.StartsWith(BulkNotices.ReferencePrefix)).OrderBy(n => n.Reference).ToListAsync());

    [Fact]
    public async Task GenerateNotices_AddsPublishedSampleNotices_FoundByTheirNamesOnTheCachedList()
    {
        var client = factory.CreateClient();
        var before = await GeneratedAsync();

        var (exit, output) = await RunAsync("generate-notices", "--count", "50", "--seed", "7");

        Assert.Equal(0, exit);
        Assert.Contains("Added 50 published sample notices", output, StringComparison.Ordinal);
        var notices = (await GeneratedAsync()).ExceptBy(before.Select(n => n.Id), n => n.Id).ToList();
        Assert.Equal(50, notices.Count);
        Assert.Equal(50, notices.Select(n => n.Reference).Distinct().Count());
        Assert.All(notices, n =>
        {
            Assert.Matches(@"^2099-\d{6}$", n.Reference);
            Assert.True(n.IsPublished);
            Assert.True(n.IsSample);
            Assert.StartsWith("SAMPLE DATA.", n.Summary, StringComparison.Ordinal);
            Assert.NotEmpty(n.Photos);
            Assert.NotEmpty(n.Warrants);
            Assert.All(n.Operations, o => Assert.True(o.IsSample));
            Assert.Equal(SearchText.Normalize(string.Join(' ', [n.FamilyName, n.Forenames, .. n.Aliases])), n.SearchName);
        });
        Assert.True(notices.Select(n => n.FamilyName + n.Forenames).Distinct().Count() > 40, "the names should vary");
        Assert.Contains(notices, n => n.FamilyName.Any(c => c > 127) || n.Forenames.Any(c => c > 127));

        foreach (var notice in notices.Take(5))
        {
            var list = await Html.ParseAsync(await client.GetAsync($"/notices?q={Uri.EscapeDataString($"{notice.Forenames} {notice.FamilyName}")}"));
            var card = list.QuerySelectorAll(".notice-card").SingleOrDefault(c => c.QuerySelector($"a[href='/notices/{notice.Reference}']") is not null);
            Assert.True(card is not null, $"{notice.Forenames} {notice.FamilyName} ({notice.Reference}) is not found by name");
            Assert.NotNull(card.QuerySelector(".sample-badge"));
        }

        var page = await client.GetAsync($"/notices/{notices[0].Reference}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull((await Html.ParseAsync(page)).QuerySelector("h1 .sample-badge"));
    }

    [Fact]
    public async Task GenerateNotices_CountsOnAListPageCachedBeforehand_AndContinuesTheReferences()
    {
        var client = factory.CreateClient();
        await RunAsync("generate-notices", "--count", "2");
        var last = (await GeneratedAsync())[^1].Reference;
        var before = await ResultCountAsync(client);
        Assert.Equal(before, await ResultCountAsync(client));

        var (exit, output) = await RunAsync("generate-notices", "--count", "20", "--seed", "11");

        Assert.Equal(0, exit);
        var next = int.Parse(last[BulkNotices.ReferencePrefix.Length..], CultureInfo.InvariantCulture) + 1;
        Assert.Contains($"2099-{next:D6} to 2099-{next + 19:D6}", output, StringComparison.Ordinal);
        Assert.Equal(before + 20, await ResultCountAsync(client));
    }

    private static async Task<int> ResultCountAsync(HttpClient client)
    {
        var page = await Html.ParseAsync(await client.GetAsync("/notices"));
        return int.Parse(new string([.. page.QuerySelector("#result-count")!.TextContent.Where(char.IsAsciiDigit)]), CultureInfo.InvariantCulture);
    }
}

public sealed class GenerateNoticesOutsideDevelopmentTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, args, output);
        return (exit, output.ToString());
    }

    private int Generated() => factory.Scoped(db => db.Notices.Count(n => n.Reference.StartsWith(BulkNotices.ReferencePrefix)));

    [Fact]
    public async Task GenerateNotices_OutsideDevelopment_IsRefusedWithoutTheSwitch_AndDoneWithIt()
    {
        var before = Generated();

        var (refused, message) = await RunAsync("generate-notices", "--count", "5");

        Assert.Equal(2, refused);
        Assert.Contains("not Development", message, StringComparison.Ordinal);
        Assert.Contains("--force-sample-data", message, StringComparison.Ordinal);
        Assert.Equal(before, Generated());

        var (forced, output) = await RunAsync("generate-notices", "--count", "5", "--force-sample-data");

        Assert.Equal(0, forced);
        Assert.Contains("Added 5 published sample notices", output, StringComparison.Ordinal);
        Assert.Equal(before + 5, Generated());
    }

    [Theory]
    [InlineData(new[] { "generate-notices" }, "--count is required")]
    [InlineData(new[] { "generate-notices", "--count", "0" }, "--count must be a whole number from 1 to 500000")]
    [InlineData(new[] { "generate-notices", "--count", "500001" }, "--count must be a whole number from 1 to 500000")]
    [InlineData(new[] { "generate-notices", "--count", "ten" }, "--count must be a whole number")]
    [InlineData(new[] { "generate-notices", "--count", "5", "--seed", "x" }, "--seed must be a whole number")]
    [InlineData(new[] { "generate-notices", "--count", "5", "--seed" }, "--seed is required")]
    public async Task GenerateNotices_WithBadArguments_ExplainsWhat(string[] args, string message)
    {
        var before = Generated();

        var (exit, output) = await RunAsync([.. args, "--force-sample-data"]);

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.Equal(before, Generated());
    }
}
