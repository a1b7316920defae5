using System.Globalization;
using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage;

/// <summary>The stored priority score: set at intake, moved by decisions and answers, shown on the tip view.</summary>
public sealed class PriorityScoreTests(TipViewApp app) : IClassFixture<TipViewApp>
{
    [Fact]
    public async Task Intake_AVerySureFirstHandTipWithExactDatePlaceAndPhoto_StoresItsSignalsAndScore()
    {
        var sighted = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);
        var client = Clients.New(app);
        var page = await Html.ParseAsync(await client.GetAsync("/tips/new?notice=2014-90001"));
        var fields = Html.FormFields(page);
        fields["Input.CheckAnswer"] = TipForms.AnswerTo(page);
        fields["Input.Description"] = "Loading crates onto a dhow at dawn.";
        fields["Input.Place"] = "Old harbour, north quay";
        fields["Input.SightingCountry"] = "KE";
        fields["Input.SightedOn"] = sighted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        fields["Input.HowKnown"] = "SawInPerson";
        fields["Input.Certainty"] = "VerySure";
        using var form = TipForms.WithFiles(fields, "Input.Attachments", ("dhow.jpg", TestFiles.Jpeg(), "image/jpeg"));

        var response = await client.PostAsync("/tips/new?notice=2014-90001", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tip = await app.ScopedAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])));
        Assert.Equal(
            TipsterSignals.ExactSightingDate | TipsterSignals.PlaceGiven | TipsterSignals.VerySure | TipsterSignals.SawInPerson | TipsterSignals.PhotoAttached,
            tip.TipsterSignals);
        Assert.Equal(
            PriorityReasons.AboutWantedNotice | PriorityReasons.NoticeCaution | PriorityReasons.RecentSighting | PriorityReasons.ExactDateAndPlace
            | PriorityReasons.PhotoAttached | PriorityReasons.VerySure | PriorityReasons.SawInPerson,
            tip.PriorityReasons);
        Assert.Equal(
            TipPriority.WantedNoticeWeight + TipPriority.NoticeCautionWeight + TipPriority.RecentSightingWeight + TipPriority.ExactDateAndPlaceWeight
            + TipPriority.PhotoWeight + TipPriority.VerySureWeight + TipPriority.FirstHandWeight,
            tip.PriorityScore);
    }

    [Fact]
    public async Task Intake_AVagueTipWithNoNotice_ScoresZero_AndSomeoneInDangerPutsItAboveAll()
    {
        var client = Clients.New(app);
        var (vague, vagueFields) = await TipForms.SubmitAsync(client, "/tips/new", f => f["Input.Description"] = "Someone said he moved abroad.");
        var (danger, dangerFields) = await TipForms.SubmitAsync(client, "/tips/new", f =>
        {
            f["Input.Description"] = "He threatened the driver.";
            f["Input.SomeoneInDanger"] = "true";
        });

        Assert.Equal(HttpStatusCode.Redirect, vague.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, danger.StatusCode);
        var stored = await app.ScopedAsync(db => db.Tips.AsNoTracking()
            .Where(t => t.IdempotencyKeyHash == FormKeys.Hash(vagueFields["Input.FormKey"]) || t.IdempotencyKeyHash == FormKeys.Hash(dangerFields["Input.FormKey"]))
            .ToListAsync());
        var low = stored.Single(t => t.ThreatToLife == ThreatToLife.None);
        var high = stored.Single(t => t.ThreatToLife == ThreatToLife.ReportedByTipster);
        Assert.Equal((0, PriorityReasons.None, TipsterSignals.None), (low.PriorityScore, low.PriorityReasons, low.TipsterSignals));
        Assert.Equal(PriorityReasons.ThreatToLifeReported, high.PriorityReasons);
        Assert.True(high.PriorityScore > TipPriority.MostWithoutThreat);
    }

    [Fact]
    public async Task Grade_B2_RaisesTheScore_ThenC4_LowersIt_AndTheTipViewSaysWhy()
    {
        var (tip, _) = await app.CreateTipAsync("Seen at the fish market on Tuesday.");
        var before = await ScoreAsync(tip);

        Assert.Equal(HttpStatusCode.Redirect, (await GradeAsync(tip, "B", "KnownPersonally")).StatusCode);
        var reliable = await ScoreAsync(tip);
        Assert.Equal(before.Score + TipPriority.ReliableGradeWeight, reliable.Score);
        Assert.True(reliable.Reasons.HasFlag(PriorityReasons.ReliableGrade));
        Assert.Contains("Graded reliable", await ReasonsOnTheViewAsync(tip));

        Assert.Equal(HttpStatusCode.Redirect, (await GradeAsync(tip, "C", "CannotBeCorroborated", "Contradicts the port records.")).StatusCode);
        var unreliable = await ScoreAsync(tip);
        Assert.Equal(before.Score + TipPriority.UnreliableGradeWeight, unreliable.Score);
        var reasons = await ReasonsOnTheViewAsync(tip);
        Assert.Contains("Graded unreliable", reasons);
        Assert.DoesNotContain("Graded reliable", reasons);
    }

    [Fact]
    public async Task ThreatToLife_Confirmed_PutsTheTipAboveEveryOther_AndTheViewSaysSo()
    {
        var (tip, _) = await app.CreateTipAsync("He said he would hurt the ranger tonight.");
        var form = await FormAsync(tip, "decide-threat");
        form["Input.Threat"] = "Confirm";
        form["Input.Reason"] = "Named ranger, named place, tonight.";

        var response = await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=ThreatToLife", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (score, reasons) = await ScoreAsync(tip);
        Assert.True(score > TipPriority.ThreatReportedWeight + TipPriority.MostWithoutThreat);
        Assert.True(reasons.HasFlag(PriorityReasons.ThreatToLifeConfirmed));
        Assert.Equal("Threat to life (confirmed)", (await ReasonsOnTheViewAsync(tip))[0]);
    }

    [Fact]
    public async Task TipstersAnswer_RaisesTheScore_AndAnOfficerOpeningTheTipLowersItAgain()
    {
        var (tip, receipt) = await app.CreateTipAsync("The boat leaves on Fridays.");
        await AskAsync(tip, "Which boat?");
        var asked = await ScoreAsync(tip);

        var tipster = Clients.New(app);
        var opened = await Html.ParseAsync(await Clients.PostFormAsync(tipster, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        }));
        var fields = Html.FormFields(opened, "main form");
        fields["Reply.Message"] = "The blue trawler, Marlin-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.OK, (await tipster.PostAsync("/tips/follow-up?handler=Reply", new FormUrlEncodedContent(fields))).StatusCode);

        var answered = await ScoreAsync(tip);
        Assert.Equal(asked.Score + TipPriority.UnreadAnswerWeight, answered.Score);
        Assert.True(answered.Reasons.HasFlag(PriorityReasons.UnreadAnswer));

        Assert.Contains("Unread answer from the tipster", PriorityText.Describe(answered.Reasons));

        // The officer who opens it has read the answer: the view shows the banner and the score as it now is.
        var view = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        Assert.NotNull(view.QuerySelector("#unread-answer"));
        Assert.DoesNotContain("Unread answer from the tipster", view.QuerySelectorAll("#priority-reasons li").Select(li => li.TextContent));
        Assert.Equal(asked, await ScoreAsync(tip));
    }

    [Fact]
    public async Task TipView_ListsTheReasons_AndBothDeadlines_AndAQuestionMeetsTheFeedbackDeadline()
    {
        var (tip, _) = await app.CreateTipAsync("Seen near the harbour gate.");

        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        var reasons = page.QuerySelectorAll("#priority-reasons li").Select(li => li.TextContent).ToList();
        var (score, stored) = await ScoreAsync(tip);
        Assert.Equal(PriorityText.Describe(stored), reasons);
        Assert.Contains("About a wanted person", reasons);
        Assert.Contains("Saw the person or knows them", reasons);
        Assert.DoesNotContain("Exact date and place", reasons);
        Assert.Equal(score.ToString(CultureInfo.InvariantCulture), page.QuerySelector("#priority-score")!.TextContent);
        Assert.Equal("On time", page.QuerySelector("#deadline-acknowledge-state")!.TextContent);
        Assert.Equal("On time", page.QuerySelector("#deadline-feedback-state")!.TextContent);
        var submitted = await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.SubmittedAtUtc).SingleAsync());
        Assert.Equal(
            submitted.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            page.QuerySelector("#deadline-acknowledge time")!.GetAttribute("datetime"));

        await AskAsync(tip, "Which gate?");

        var after = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        Assert.Equal("Met", after.QuerySelector("#deadline-acknowledge-state")!.TextContent);
        Assert.Equal("Met", after.QuerySelector("#deadline-feedback-state")!.TextContent);
        var row = await app.ScopedAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.Id == tip));
        Assert.NotNull(row.FeedbackGivenAtUtc);
        Assert.Equal(row.FeedbackGivenAtUtc, row.FirstActionAtUtc);
    }

    [Fact]
    public async Task ASecondQuestion_KeepsTheFirstFeedbackTime()
    {
        var (tip, _) = await app.CreateTipAsync("Seen twice at the market.");
        await AskAsync(tip, "When?");
        var first = await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.FeedbackGivenAtUtc).SingleAsync());

        await AskAsync(tip, "And where exactly?");

        Assert.Equal(first, await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.FeedbackGivenAtUtc).SingleAsync()));
    }

    private Task<Priority> ScoreAsync(Guid tip) =>
        app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => new Priority(t.PriorityScore, t.PriorityReasons)).SingleAsync());

    private async Task<List<string>> ReasonsOnTheViewAsync(Guid tip)
    {
        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        return [.. page.QuerySelectorAll("#priority-reasons li").Select(li => li.TextContent)];
    }

    private async Task AskAsync(Guid tip, string question)
    {
        var fields = Html.FormFields(await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}")), "form#question-form");
        fields["Question.Text"] = question;
        var response = await app.ZaOfficer.PostAsync($"/triage/tips/{tip}?handler=Question", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<HttpResponseMessage> GradeAsync(Guid tip, string source, string information, string? note = null)
    {
        var form = await FormAsync(tip, "decide-grade");
        form["Input.Source"] = source;
        form["Input.Information"] = information;
        if (note is not null)
        {
            form["Input.Note"] = note;
        }

        return await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=Grade", new FormUrlEncodedContent(form));
    }

    private async Task<Dictionary<string, string>> FormAsync(Guid tip, string formId)
    {
        var response = await app.ZaOfficer.GetAsync($"/triage/tips/{tip}/decide");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Html.FormFields(await Html.ParseAsync(response), $"form#{formId}");
    }
}
