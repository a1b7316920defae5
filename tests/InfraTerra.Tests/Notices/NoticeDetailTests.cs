using System.Net;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Notices;

public sealed class NoticeDetailTests(SharedApp factory) : IClassFixture<SharedApp>
{
    private async Task<AngleSharp.Dom.IDocument> PageAsync(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Html.ParseAsync(response);
    }

    private static string Fact(AngleSharp.Dom.IDocument page, string term) =>
        page.QuerySelectorAll("dl.facts dt").Single(dt => dt.TextContent == term).NextElementSibling!.TextContent.Trim();

    [Fact]
    public async Task Detail_ShowsEverythingPublicAboutThePerson()
    {
        var page = await PageAsync("/notices/2014-90001");

        Assert.Equal("2014-90001", Fact(page, "Reference"));
        Assert.Equal("Faisal Ondraco; The Broker", Fact(page, "Also known as"));
        Assert.Equal("Male", Fact(page, "Sex"));
        Assert.Contains("14 March 1971", Fact(page, "Date of birth"), StringComparison.Ordinal);
        Assert.Matches(@"\(age \d+\)", Fact(page, "Date of birth"));
        Assert.Equal("Mombasa, Kenya", Fact(page, "Place of birth"));
        Assert.Equal("Kenya, Tanzania", Fact(page, "Nationality"));
        Assert.Equal("1.82 m", Fact(page, "Height"));
        Assert.Equal("88 kg", Fact(page, "Weight"));
        Assert.Equal("Brown", Fact(page, "Eye colour"));
        Assert.Equal("Black", Fact(page, "Hair colour"));
        Assert.Equal("Scar across the left eyebrow", Fact(page, "Distinguishing marks"));
        Assert.Equal("English, Swahili", Fact(page, "Languages spoken"));
        Assert.Equal("Wildlife", Fact(page, "Crime category"));
        Assert.Equal("Wanted", Fact(page, "Status"));
        Assert.Contains("INFRA-Terra", Fact(page, "Operation"), StringComparison.Ordinal);
        Assert.Contains("arrest warrant issued by Kenya", page.QuerySelector(".charges")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("10,000 EUR", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, page.QuerySelectorAll(".gallery img").Length);
        Assert.All(page.QuerySelectorAll(".gallery img"), img => Assert.False(string.IsNullOrWhiteSpace(img.GetAttribute("alt"))));
    }

    [Fact]
    public async Task Detail_ChargeInAnotherLanguage_ShowsItsTranslation()
    {
        var page = await PageAsync("/notices/2014-90004");
        var charge = page.QuerySelector(".charges li")!.TextContent;

        Assert.Contains("Exploração ilegal de madeira", charge, StringComparison.Ordinal);
        Assert.Contains("Illegal logging in a protected forest", charge, StringComparison.Ordinal);
        Assert.Contains("Known to use violence", page.QuerySelector(".caution")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_InFrench_UsesTheTranslationWhereThereIsOne_AndMarksTheOriginalsLanguageOtherwise()
    {
        var translated = await PageAsync("/fr/notices/2014-90001");
        var summary = translated.QuerySelectorAll("h2").Single(h => h.NextElementSibling?.TagName == "P" && h.NextElementSibling.TextContent.Contains("DONNÉES D'EXEMPLE", StringComparison.Ordinal)).NextElementSibling!;
        Assert.Equal("fr", summary.GetAttribute("lang"));
        Assert.Equal("fr", translated.QuerySelector(".caution span")!.GetAttribute("lang"));

        var untranslated = await PageAsync("/fr/notices/2014-90003");
        var original = untranslated.QuerySelectorAll("p[lang]").Single(p => p.TextContent.StartsWith("SAMPLE DATA", StringComparison.Ordinal));
        Assert.Equal("en", original.GetAttribute("lang"));
        Assert.Equal("fr", untranslated.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task Detail_InArabic_NamesCountriesInArabicJoinedWithTheArabicComma()
    {
        var page = await PageAsync("/ar/notices/2014-90001");
        var nationalities = page.QuerySelectorAll("dl.facts dd")[7].TextContent;

        Assert.Equal("كينيا، تنزانيا", nationalities);
    }

    [Fact]
    public async Task Detail_OfALocatedPerson_SaysSoAndStillTakesTips()
    {
        var page = await PageAsync("/notices/2014-90010");

        Assert.Contains("believe they know where this person is", page.QuerySelector(".banner")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='/tips/new?notice=2014-90010']"));
    }

    [Fact]
    public async Task Lists_UseCardSizedJpegs_SmallerThanThePhotos()
    {
        var page = await PageAsync("/notices");
        var src = page.QuerySelector(".notice-card img")!.GetAttribute("src")!;
        Assert.EndsWith("/card/180", src, StringComparison.Ordinal);

        var client = factory.CreateClient();
        var card = await client.GetAsync(src);
        var full = await client.GetAsync(src[..^"/card/180".Length]);

        Assert.Equal("image/jpeg", card.Content.Headers.ContentType!.MediaType);
        var bytes = await card.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        Assert.True(bytes.Length < (await full.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("/notices/2014-90001/photos/99999")]
    [InlineData("/notices/2014-90002/photos/1")]
    [InlineData("/notices/2099-00000/photos/1/thumbnail")]
    public async Task Photo_OfAnotherNoticeOrUnknown_Is404(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Operation_ShowsItsStoryAndItsNotices()
    {
        var page = await PageAsync("/operations/infra-terra");

        Assert.Contains("INFRA-Terra", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("environmental crime", page.QuerySelector("main p[lang]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(10, page.QuerySelectorAll(".notice-card").Length);
        Assert.NotNull(page.QuerySelector("a[href='/notices?operation=infra-terra']"));
    }

    [Fact]
    public async Task UnknownOperation_Is404()
    {
        var response = await factory.CreateClient().GetAsync("/operations/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/notices?q=feisal", "fr", "/fr/notices?q=feisal")]
    [InlineData("/fr/notices/2014-90001", "en", "/notices/2014-90001")]
    [InlineData("/ar/", "es", "/es")]
    [InlineData("/es", "en", "/")]
    public async Task LanguageLinks_KeepThePageAndQuery(string path, string language, string expected)
    {
        var page = await PageAsync(path);

        Assert.Equal(expected, page.QuerySelector($"nav.languages a[hreflang={language}]")!.GetAttribute("href"));
        var alternate = page.QuerySelector($"link[rel=alternate][hreflang={language}]")!.GetAttribute("href")!;
        Assert.EndsWith(expected, alternate, StringComparison.Ordinal);
        Assert.StartsWith("http", alternate, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ar/notices", "ar", "rtl")]
    [InlineData("/fr/notices", "fr", "ltr")]
    [InlineData("/es/operations/infra-terra", "es", "ltr")]
    [InlineData("/notices", "en", "ltr")]
    public async Task CulturePrefix_SetsLanguageAndDirection(string path, string lang, string dir)
    {
        var page = await PageAsync(path);

        Assert.Equal(lang, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(dir, page.DocumentElement.GetAttribute("dir"));
        Assert.StartsWith(lang == "en" ? "/notices" : $"/{lang}/notices", page.QuerySelector("header nav a[href$='notices']")!.GetAttribute("href"), StringComparison.Ordinal);
    }
}
