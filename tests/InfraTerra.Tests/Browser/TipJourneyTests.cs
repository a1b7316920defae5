using System.Globalization;
using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using Microsoft.Playwright;

namespace InfraTerra.Tests.Browser;

/// <summary>
/// A tipster in a real Chromium: with JavaScript the self-hosted proof-of-work widget is solved for
/// real (the vendored ALTCHA release, its worker and our server's check); without it, the question.
/// Either way the receipt then opens the follow-up page and a reply reaches the conversation.
/// </summary>
public sealed class TipJourneyTests(BrowserApp app, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task JavaScriptOn_WidgetSolvesTheProofOfWork_ReceiptOpensTheFollowUp()
    {
        var page = await OpenFormAsync(javaScript: true);
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                cspViolations.Add(message.Text);
            }
        };
        await page.ReloadAsync();

        // The widget replaces the question; there is nothing to answer.
        await Assertions.Expect(page.Locator("#question-check")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#widget-check altcha-widget")).ToHaveCountAsync(1);
        await page.GetByLabel("What did you see or what do you know?").FillAsync("Seen at the sawmill gate with two trucks, JS on.");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tips/receipt$"), new() { Timeout = 60_000 });
        output.WriteLine($"Send pressed → receipt shown, proof of work included: {clock.ElapsedMilliseconds} ms");
        var receipt = await page.Locator("#receipt-code").TextContentAsync();
        Assert.Empty(cspViolations);
        await FollowUpAsync(page, receipt!, "More: the trucks were blue, JS on.");
    }

    [SkippableFact]
    public async Task JavaScriptOff_QuestionAnswered_ReceiptOpensTheFollowUp()
    {
        var page = await OpenFormAsync(javaScript: false);

        await Assertions.Expect(page.Locator("#question-check")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("altcha-widget")).ToHaveCountAsync(0);
        await page.GetByLabel("What did you see or what do you know?").FillAsync("Seen at the sawmill gate with two trucks, JS off.");
        var question = await page.Locator("#check-question").TextContentAsync();
        await page.Locator("#Input_CheckAnswer").FillAsync(TipForms.AnswerTo(question!));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tips/receipt$"));
        var receipt = await page.Locator("#receipt-code").TextContentAsync();
        await FollowUpAsync(page, receipt!, "More: the trucks were blue, JS off.");
    }

    [SkippableFact]
    public async Task JavaScriptOn_WidgetFails_TheQuestionComesBackAndTheTextIsKept()
    {
        var page = await OpenFormAsync(javaScript: true);
        // The challenge cannot be fetched (a filtering proxy, a dropped connection).
        await page.Context.RouteAsync("**/tips/challenge", route => route.AbortAsync());

        await page.GetByLabel("What did you see or what do you know?").FillAsync("Seen at the sawmill gate, challenge blocked.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();

        await Assertions.Expect(page.Locator("#question-check")).ToBeVisibleAsync();
        Assert.Equal("Seen at the sawmill gate, challenge blocked.", await page.GetByLabel("What did you see or what do you know?").InputValueAsync());
        var question = await page.Locator("#check-question").TextContentAsync();
        await page.Locator("#Input_CheckAnswer").FillAsync(TipForms.AnswerTo(question!));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tips/receipt$"));
    }

    private async Task<IPage> OpenFormAsync(bool javaScript)
    {
        var chromium = RealParts.RequireChromium();
        var browser = await app.StartAsync(chromium);
        var context = await browser.NewContextAsync(new() { JavaScriptEnabled = javaScript, BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/tips/new?notice=2014-90001");
        return page;
    }

    private async Task FollowUpAsync(IPage page, string receipt, string reply)
    {
        await page.GotoAsync("/tips/follow-up");
        await page.GetByLabel("Receipt code").FillAsync(receipt);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(page.Locator("#public-status")).ToContainTextAsync("Received");

        await page.GetByLabel("Add information or answer a question").FillAsync(reply);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync(reply);
    }
}
