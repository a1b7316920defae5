using System.Net;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Notices;

/// <summary>Every filter, sort and page parameter of /notices, and every way to get one wrong.</summary>
public sealed class NoticeSearchTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private async Task<List<string>> ReferencesAsync(string query)
    {
        var response = await factory.CreateClient().GetAsync("/notices" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        return page.QuerySelectorAll(".notice-card a").Select(a => a.GetAttribute("href")!.Split('/').Last()).ToList();
    }

    [Fact]
    public async Task NoFilters_ListsEveryListedNoticeByNameWithTheTotal()
    {
        var response = await factory.CreateClient().GetAsync("/notices");
        var page = await Html.ParseAsync(response);

        Assert.Contains("10 notices found", page.QuerySelector("#result-count")!.TextContent, StringComparison.Ordinal);
        var names = page.QuerySelectorAll(".notice-card .name").Select(n => n.TextContent).ToList();
        Assert.Equal(10, names.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal).ToList(), names);
    }

    [Theory]
    [InlineData("?q=the+broker", new[] { "2014-90001" })]
    [InlineData("?q=ASHBY", new[] { "2014-90002" })]
    [InlineData("?nationality=TZ", new[] { "2014-90001" })]
    [InlineData("?nationality=ng", new[] { "2014-90007" })]
    [InlineData("?warrantCountry=MG", new[] { "2014-90005" })]
    [InlineData("?warrantCountry=IT", new[] { "2014-90009" })]
    [InlineData("?category=fisheries", new[] { "2014-90006", "2014-90007" })]
    [InlineData("?category=Other", new[] { "2014-90005", "2014-90010" })]
    [InlineData("?sex=F&category=wildlife", new[] { "2014-90010", "2014-90003" })]
    [InlineData("?operation=infra-terra&q=zelezny", new[] { "2014-90005" })]
    [InlineData("?operation=no-such-operation", new string[0])]
    public async Task EachFilter_NarrowsTheList(string query, string[] expected)
    {
        var references = await ReferencesAsync(query);
        Assert.Equal(expected.Order(), references.Order());
    }

    [Fact]
    public async Task AgeRange_UsesTodaysAge()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var births = new Dictionary<string, DateOnly>
        {
            ["2014-90001"] = new(1971, 3, 14),
            ["2014-90002"] = new(1965, 11, 2),
            ["2014-90003"] = new(1980, 6, 21),
            ["2014-90004"] = new(1975, 1, 9),
            ["2014-90005"] = new(1969, 8, 30),
            ["2014-90006"] = new(1983, 4, 17),
            ["2014-90007"] = new(1977, 12, 5),
            ["2014-90008"] = new(1972, 2, 28),
            ["2014-90009"] = new(1968, 9, 12),
            ["2014-90010"] = new(1986, 7, 3),
        };
        int Age(DateOnly born) => today.Year - born.Year - (born.AddYears(today.Year - born.Year) > today ? 1 : 0);
        var expected = births.Where(b => Age(b.Value) is >= 45 and <= 52).Select(b => b.Key).Order().ToList();

        var references = await ReferencesAsync("?ageMin=45&ageMax=52");

        Assert.NotEmpty(expected);
        Assert.Equal(expected, references.Order());
        Assert.Equal(births.Where(b => Age(b.Value) >= 55).Select(b => b.Key).Order(), (await ReferencesAsync("?ageMin=55")).Order());
        Assert.Equal(births.Where(b => Age(b.Value) <= 45).Select(b => b.Key).Order(), (await ReferencesAsync("?ageMax=45")).Order());
    }

    [Fact]
    public async Task Sort_ByUpdated_PutsTheMostRecentlyUpdatedFirst()
    {
        var references = await ReferencesAsync("?sort=updated");
        Assert.Equal("2014-90001", references[0]);
        Assert.Equal("2014-90010", references[^1]);
    }

    [Fact]
    public async Task Sort_ByAge_PutsTheYoungestFirst()
    {
        var references = await ReferencesAsync("?sort=age");
        Assert.Equal("2014-90010", references[0]);
        Assert.Equal("2014-90002", references[^1]);
    }

    [Fact]
    public async Task Filters_AreKeptInTheFormSoTheUrlCanBeSharedAndRefined()
    {
        var page = await Html.ParseAsync(await factory.CreateClient().GetAsync("/notices?q=o&sex=M&category=timber&sort=updated"));

        Assert.Equal("o", page.QuerySelector("#q")!.GetAttribute("value"));
        Assert.Equal("M", page.QuerySelector("#sex option[selected]")!.GetAttribute("value"));
        Assert.Equal("timber", page.QuerySelector("#category option[selected]")!.GetAttribute("value"));
        Assert.Equal("updated", page.QuerySelector("#sort option[selected]")!.GetAttribute("value"));
        Assert.Equal("GET", page.QuerySelector("form[role=search]")!.GetAttribute("method")!.ToUpperInvariant());
    }

    [Fact]
    public async Task FilterLists_OfferOnlyCountriesThatHaveNotices_ByName()
    {
        var page = await Html.ParseAsync(await factory.CreateClient().GetAsync("/notices"));

        var warrantCountries = page.QuerySelectorAll("#warrantCountry option").Select(o => o.GetAttribute("value")).Where(v => v != "").ToList();
        Assert.Equal(["BR", "CO", "ID", "IN", "IT", "KE", "MG", "SN", "TH", "ZA"], warrantCountries);
        Assert.Equal("Kenya", page.QuerySelector("#nationality option[value=KE]")!.TextContent);
    }

    [Theory]
    [InlineData("?nationality=XX", "Nationality")]
    [InlineData("?nationality=Kenya", "Nationality")]
    [InlineData("?warrantCountry=12", "Wanted by")]
    [InlineData("?sex=X", "Sex")]
    [InlineData("?ageMin=abc", "Age from")]
    [InlineData("?ageMin=-1", "Age from")]
    [InlineData("?ageMax=500", "Age to")]
    [InlineData("?ageMin=50&ageMax=40", "Age from")]
    [InlineData("?category=poaching", "Crime category")]
    [InlineData("?category=1", "Crime category")]
    [InlineData("?operation=%3Cscript%3E", "Operation")]
    [InlineData("?sort=price", "Sort by")]
    [InlineData("?page=0", "Page")]
    [InlineData("?page=two", "Page")]
    [InlineData("?sex=F&sex=M", "Sex")]
    public async Task BadParameter_Answers400WithAClearMessageNamingIt(string query, string label)
    {
        var response = await factory.CreateClient().GetAsync("/notices" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var errors = page.QuerySelector("#filter-errors")!.TextContent;
        Assert.Contains(label + ":", errors, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll(".notice-card"));
    }

    [Fact]
    public async Task OverlongName_IsRejectedWithItsLimit()
    {
        var response = await factory.CreateClient().GetAsync($"/notices?q={new string('a', 101)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("at most 100 characters", page.QuerySelector("#filter-errors")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageBeyondTheLast_Is404()
    {
        var response = await factory.CreateClient().GetAsync("/notices?page=2");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
