using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure;
using Microsoft.Playwright;

namespace InfraTerra.Tests.Browser;

/// <summary>
/// The product's main line end to end in a real Chromium: a tipster without JavaScript sends a tip;
/// an officer made by the <c>create-user</c> command signs in for the first time (one-time password,
/// new password, authenticator code computed by the test), finds the tip in the queue, grades it and
/// asks a question; the tipster reads it with the receipt and answers; the officer sees the answer
/// as unread in the queue and on the tip.
/// </summary>
public sealed partial class OfficerJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task Officer_GradesAndAsks_TipsterAnswersWithoutJavaScript_OfficerSeesTheUnreadAnswer()
    {
        var browser = await app.StartAsync(RealParts.RequireChromium());
        var tipster = await (await browser.NewContextAsync(new() { JavaScriptEnabled = false, BaseURL = app.BaseUrl })).NewPageAsync();
        var officer = await (await browser.NewContextAsync(new() { BaseURL = app.BaseUrl })).NewPageAsync();

        // The tipster: a tip about a notice whose first warrant is Brazil's, so it lands on the BR desk.
        await tipster.GotoAsync("/tips/new?notice=2014-90004");
        await tipster.GetByLabel("What did you see or what do you know?").FillAsync("Seen loading timber at the river port, officer journey.");
        var question = await tipster.Locator("#check-question").TextContentAsync();
        await tipster.Locator("#Input_CheckAnswer").FillAsync(TipForms.AnswerTo(question!));
        await tipster.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Assertions.Expect(tipster).ToHaveURLAsync(new Regex("/tips/receipt$"));
        var receipt = (await tipster.Locator("#receipt-code").TextContentAsync())!;

        // The officer, made by the operator's command, on the BR desk.
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(
            app.App.Services, ["create-user", "--email", "journey.officer@example.org", "--role", "Officer", "--desk", "BR"], output);
        Assert.True(exit == 0, output.ToString());
        var oneTime = OneTimePasswordLine().Match(output.ToString()).Groups[1].Value;

        await officer.GotoAsync("/account/login");
        await officer.GetByLabel("Email address").FillAsync("journey.officer@example.org");
        await officer.GetByLabel("Password").FillAsync(oneTime);
        await officer.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await officer.GetByLabel("Current (or one-time) password").FillAsync(oneTime);
        await officer.GetByLabel("New password", new() { Exact = true }).FillAsync(Officers.NewPassword);
        await officer.GetByLabel("New password again").FillAsync(Officers.NewPassword);
        await officer.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#authenticator-key")).ToBeVisibleAsync();
        await Assertions.Expect(officer.Locator("figure.qr svg")).ToHaveCountAsync(1);
        var key = (await officer.Locator("#authenticator-key").TextContentAsync())!;
        await officer.GetByLabel("6-digit code").FillAsync(Officers.Totp(key));
        await officer.GetByRole(AriaRole.Button, new() { Name = "Turn on the second factor" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await officer.GetByRole(AriaRole.Link, new() { Name = "Continue to the triage queue" }).ClickAsync();

        // The queue lists the tip; the officer opens, grades and asks.
        var row = officer.Locator("table.queue tbody tr", new() { HasText = "2014-90004" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(officer.Locator("#tip-description")).ToContainTextAsync("Seen loading timber at the river port");

        await officer.Locator("#decide-source").SelectOptionAsync("B");
        await officer.Locator("#decide-information").SelectOptionAsync("KnownPersonally");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Grade" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#current-grade")).ToContainTextAsync("B2");

        await officer.GetByLabel("Ask the tipster").FillAsync("Which day of the week were the trucks loaded?");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Send question" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#messages")).ToContainTextAsync("Which day of the week");
        var tipUrl = officer.Url;

        // The tipster, still without JavaScript, reads the question with the receipt and answers.
        await tipster.GotoAsync("/tips/follow-up");
        await tipster.GetByLabel("Receipt code").FillAsync(receipt);
        await tipster.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(tipster.Locator("#messages")).ToContainTextAsync("Which day of the week were the trucks loaded?");
        await tipster.GetByLabel("Add information or answer a question").FillAsync("On Tuesdays, before dawn.");
        await tipster.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(tipster.Locator("#messages")).ToContainTextAsync("On Tuesdays, before dawn.");

        // The officer sees the answer as unread in the queue, then on the tip.
        await officer.GotoAsync("/triage");
        await Assertions.Expect(officer.Locator("table.queue tbody tr", new() { HasText = "2014-90004" })).ToContainTextAsync("Unread answer");
        await officer.GotoAsync(tipUrl);
        await Assertions.Expect(officer.Locator("#unread-answer")).ToBeVisibleAsync();
        await Assertions.Expect(officer.Locator("#messages")).ToContainTextAsync("On Tuesdays, before dawn.");
    }

    [GeneratedRegex("One-time password: (\\S+)")]
    private static partial Regex OneTimePasswordLine();
}
