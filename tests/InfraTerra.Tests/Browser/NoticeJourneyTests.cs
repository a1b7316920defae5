using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure;
using Microsoft.Playwright;

namespace InfraTerra.Tests.Browser;

/// <summary>
/// A notice's life end to end in a real Chromium: a Supervisor creates a notice with a photo and
/// publishes it; a visitor without JavaScript finds it by search and sends a tip; the Supervisor marks
/// the person Arrested; the public page shows the banner, the tipster's follow-up says the report is
/// closed and why, and the queue shows the tip Closed.
/// </summary>
public sealed partial class NoticeJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task Supervisor_PublishesANoticeWithAPhoto_VisitorTips_ArrestClosesTheTipEverywhere()
    {
        var browser = await app.StartAsync(RealParts.RequireChromium());
        var supervisor = await (await browser.NewContextAsync(new() { BaseURL = app.BaseUrl })).NewPageAsync();
        var visitor = await (await browser.NewContextAsync(new() { JavaScriptEnabled = false, BaseURL = app.BaseUrl })).NewPageAsync();
        await SignInFirstTimeAsync(supervisor, "journey.supervisor@example.org");

        // The Supervisor creates the notice, adds a photo and publishes it.
        await supervisor.GotoAsync("/triage/notices");
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "New notice" }).ClickAsync();
        await supervisor.Locator("#Input_FamilyName").FillAsync("Brightwater");
        await supervisor.Locator("#Input_Forenames").FillAsync("Solenne");
        await supervisor.Locator("#Input_Aliases").FillAsync("The Harbour Clerk");
        await supervisor.Locator("#Input_Nationalities").FillAsync("KE");
        await supervisor.GetByLabel("Wildlife").CheckAsync();
        await supervisor.Locator("#Input_Summary").FillAsync("SAMPLE DATA. Fictional clerk accused of forging ivory export papers.");
        await supervisor.Locator("#Input_Caution").FillAsync("Do not approach.");
        await supervisor.Locator("#Input_Warrants_0__IssuingCountry").FillAsync("KE");
        await supervisor.Locator("#Input_Warrants_0__Charge").FillAsync("Forgery of wildlife export permits");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Create the notice" }).ClickAsync();
        await Assertions.Expect(supervisor).ToHaveURLAsync(new Regex("/triage/notices/[0-9]{4}-[0-9]{5}/edit$"));
        var reference = ReferenceIn().Match(supervisor.Url).Groups[1].Value;

        await supervisor.Locator("#Photo_File").SetInputFilesAsync(new FilePayload { Name = "portrait.jpg", MimeType = "image/jpeg", Buffer = TestFiles.JpegWithExif() });
        await supervisor.Locator("#Photo_AltText").FillAsync("Generated placeholder portrait, not a real person");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Add the photo" }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("#photos img")).ToHaveCountAsync(1);
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("#notice-published")).ToHaveTextAsync("Yes");

        // A visitor finds the person by an alias and sends a tip.
        await visitor.GotoAsync("/notices?q=harbour+clerk");
        await visitor.Locator($"a[href$='/notices/{reference}']").First.ClickAsync();
        await Assertions.Expect(visitor.Locator("h1")).ToContainTextAsync("BRIGHTWATER");
        await Assertions.Expect(visitor.Locator(".gallery img")).ToHaveCountAsync(1);
        await visitor.GetByRole(AriaRole.Link, new() { Name = "Report information about this person" }).ClickAsync();
        await Assertions.Expect(visitor.Locator(".caution")).ToContainTextAsync("Do not approach.");
        await visitor.GetByLabel("What did you see or what do you know?").FillAsync("Seen at the harbour office on the pier, notice journey.");
        var question = await visitor.Locator("#check-question").TextContentAsync();
        await visitor.Locator("#Input_CheckAnswer").FillAsync(TipForms.AnswerTo(question!));
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Assertions.Expect(visitor).ToHaveURLAsync(new Regex("/tips/receipt$"));
        var receipt = (await visitor.Locator("#receipt-code").TextContentAsync())!;

        // The Supervisor marks the person Arrested.
        await supervisor.GotoAsync($"/triage/notices/{reference}/edit");
        await supervisor.Locator("#status-form").GetByLabel("Arrested").CheckAsync();
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Set the status" }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("#confirmation")).ToContainTextAsync("1 open tip(s) were closed");

        // The public page, the tipster's follow-up and the queue all changed.
        await visitor.GotoAsync($"/notices/{reference}");
        await Assertions.Expect(visitor.Locator(".banner")).ToContainTextAsync("no longer sought");
        await Assertions.Expect(visitor.GetByRole(AriaRole.Link, new() { Name = "Report information about this person" })).ToHaveCountAsync(0);
        await visitor.GotoAsync("/tips/follow-up");
        await visitor.GetByLabel("Receipt code").FillAsync(receipt);
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(visitor.Locator("#public-status")).ToHaveTextAsync(new Regex("Closed"));
        await Assertions.Expect(visitor.Locator("#closed-because")).ToContainTextAsync("has been arrested");

        await supervisor.GotoAsync($"/triage?notice={reference}&status=Closed");
        await Assertions.Expect(supervisor.Locator("table.queue tbody tr", new() { HasText = reference })).ToContainTextAsync("Closed");
    }

    private async Task SignInFirstTimeAsync(IPage page, string email)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(app.App.Services, ["create-user", "--email", email, "--role", "Supervisor"], output);
        Assert.True(exit == 0, output.ToString());
        var oneTime = OneTimePasswordLine().Match(output.ToString()).Groups[1].Value;
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(oneTime);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Current (or one-time) password").FillAsync(oneTime);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(Officers.NewPassword);
        await page.GetByLabel("New password again").FillAsync(Officers.NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        var key = (await page.Locator("#authenticator-key").TextContentAsync())!;
        await page.GetByLabel("6-digit code").FillAsync(Officers.Totp(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on the second factor" }).ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
    }

    [GeneratedRegex("One-time password: (\\S+)")]
    private static partial Regex OneTimePasswordLine();

    [GeneratedRegex("/triage/notices/([0-9]{4}-[0-9]{5})/edit")]
    private static partial Regex ReferenceIn();
}
