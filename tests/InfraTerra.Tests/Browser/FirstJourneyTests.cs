using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.Playwright;

namespace InfraTerra.Tests.Browser;

/// <summary>
/// The walking skeleton in a real Chromium against a real Kestrel port: a member of the public
/// finds a notice and sends a tip; an officer signs in for the first time and sees it queued.
/// </summary>
public sealed class FirstJourneyTests
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PublicToTipToReceipt_ThenOfficerFirstSignIn_SeesTheTipInTriage(bool javaScript)
    {
        var chromium = RealParts.RequireChromium();
        using var factory = new AppFactory();
        var baseUrl = factory.StartKestrel();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { JavaScriptEnabled = javaScript, BaseURL = baseUrl });
        var page = await context.NewPageAsync();

        // The public: list → notice → report.
        await page.GotoAsync("/notices");
        await Assertions.Expect(page.Locator(".notice-card")).ToHaveCountAsync(10);
        await page.GetByLabel("Name").FillAsync("feisal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.Locator(".notice-card a").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/notices/2014-90001$"));
        await Assertions.Expect(page.Locator(".caution")).ToContainTextAsync("May be armed");
        await page.GetByRole(AriaRole.Link, new() { Name = "Report information about this person" }).ClickAsync();

        // The tipster: form → receipt, shown only after the commit.
        await page.GetByLabel("What did you see or what do you know?").FillAsync("Seen boarding a cargo ship at the old port on Friday.");
        await page.GetByLabel("Country (optional)").SelectOptionAsync("TZ");
        await page.GetByLabel("Very sure").CheckAsync();
        if (!javaScript)
        {
            // With JavaScript the proof-of-work widget does the check (see TipJourneyTests).
            var question = await page.Locator("#check-question").TextContentAsync();
            await page.Locator("#Input_CheckAnswer").FillAsync(TipForms.AnswerTo(question!));
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tips/receipt$"), new() { Timeout = 60_000 });
        var receipt = await page.Locator("#receipt-code").TextContentAsync();
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$", receipt);

        // The officer: one-time password → own password → authenticator → queue.
        var oneTime = await Officers.CreateAsync(factory, "fis.officer@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(factory, "fis.officer@example.org", "KE");
        await page.GotoAsync("/triage");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.GetByLabel("Email address").FillAsync("fis.officer@example.org");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(oneTime);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/change-password$"));
        await page.GetByLabel("Current (or one-time) password").FillAsync(oneTime);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(Officers.NewPassword);
        await page.GetByLabel("New password again").FillAsync(Officers.NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/setup-authenticator$"));
        var key = await page.Locator("#authenticator-key").TextContentAsync();
        await page.GetByLabel("6-digit code").FillAsync(Officers.Totp(key!));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on the second factor" }).ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue to the triage queue" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/triage$"));
        var row = page.Locator("table.queue tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("2014-90001");
        await Assertions.Expect(row).ToContainTextAsync("KE");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("cargo ship");
    }
}
