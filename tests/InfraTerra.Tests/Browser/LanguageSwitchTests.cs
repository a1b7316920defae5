using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using Microsoft.Playwright;

namespace InfraTerra.Tests.Browser;

/// <summary>
/// A visitor searches, opens a notice and switches to Arabic with the language links: the same
/// page comes back right-to-left, mirrored, with or without JavaScript.
/// </summary>
public sealed class LanguageSwitchTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SearchOpenNotice_SwitchToArabic_ShowsTheSameNoticeMirroredRightToLeft(bool javaScript)
    {
        var browser = await app.StartAsync(RealParts.RequireChromium());
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl,
            JavaScriptEnabled = javaScript,
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/notices");
        await page.GetByLabel("Name").FillAsync("feisal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice-card")).ToHaveCountAsync(1);
        var searched = new Uri(page.Url);
        Assert.Contains("q=feisal", searched.Query, StringComparison.Ordinal);
        await Assertions.Expect(LanguageLink(page, "Français")).ToHaveAttributeAsync("href", "/fr" + searched.PathAndQuery);

        await page.Locator(".notice-card a").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/notices/2014-90001$"));
        await AssertHtmlAsync(page, "en", "ltr");
        Assert.True(await LabelIsRightOfValueAsync(page) == false, "In English a notice's labels should sit left of their values.");

        await LanguageLink(page, "العربية").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^[^?]*/ar/notices/2014-90001$"));
        await AssertHtmlAsync(page, "ar", "rtl");
        await Assertions.Expect(page.Locator("main")).ToHaveCSSAsync("direction", "rtl");
        await Assertions.Expect(page.Locator("main h1")).ToContainTextAsync("ONDRAKO");
        Assert.True(await LabelIsRightOfValueAsync(page), "In Arabic a notice's labels should sit right of their values (mirrored layout).");
        var brand = await page.Locator(".brand").BoundingBoxAsync();
        Assert.True(brand!.X > 640, $"In Arabic the site name should start on the right; it is at x={brand.X}.");
        await Assertions.Expect(LanguageLink(page, "العربية")).ToHaveAttributeAsync("aria-current", "true");
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LanguageLinks_KeepThePageAndItsQuery(bool javaScript)
    {
        var browser = await app.StartAsync(RealParts.RequireChromium());
        await using var context = await browser.NewContextAsync(new() { BaseURL = app.BaseUrl, JavaScriptEnabled = javaScript });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/notices?q=feisal");
        await Assertions.Expect(LanguageLink(page, "Français")).ToHaveAttributeAsync("href", "/fr/notices?q=feisal");
        await Assertions.Expect(LanguageLink(page, "English")).ToHaveAttributeAsync("href", "/notices?q=feisal");

        await LanguageLink(page, "Français").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/fr/notices\\?q=feisal$"));
        await AssertHtmlAsync(page, "fr", "ltr");
        await Assertions.Expect(page.Locator("#q")).ToHaveValueAsync("feisal");
        await Assertions.Expect(page.Locator(".notice-card")).ToHaveCountAsync(1);
        await Assertions.Expect(LanguageLink(page, "العربية")).ToHaveAttributeAsync("href", "/ar/notices?q=feisal");
        await Assertions.Expect(LanguageLink(page, "English")).ToHaveAttributeAsync("href", "/notices?q=feisal");
    }

    private static ILocator LanguageLink(IPage page, string nativeName) =>
        page.Locator("nav.languages").GetByRole(AriaRole.Link, new() { Name = nativeName, Exact = true });

    private static async Task AssertHtmlAsync(IPage page, string lang, string dir)
    {
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", dir);
    }

    /// <summary>Where the first fact's label (Reference) sits against its value, from their boxes on screen.</summary>
    private static async Task<bool> LabelIsRightOfValueAsync(IPage page)
    {
        var label = await page.Locator("dl.facts dt").First.BoundingBoxAsync();
        var value = await page.Locator("dl.facts dd").First.BoundingBoxAsync();
        return label!.X > value!.X;
    }
}
