using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>
/// Each filter of the queue over HTTP, on one app whose clock the tests set (a Supervisor sees every
/// desk, so the filters alone decide what is listed). Each test starts from an empty tip store.
/// </summary>
public sealed class QueueFilterTests(QueueFilterTests.App app) : IClassFixture<QueueFilterTests.App>, IAsyncLifetime
{
    private static readonly DateTime Hour = TriageSetup.Hour;

    public Task InitializeAsync() => app.ForgetTipsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Status_SeveralAtOnce()
    {
        var fresh = await Tip(t => t.Status = TipStatus.New);
        var review = await Tip(t => t.Status = TipStatus.InReview);
        await Tip(t => t.Status = TipStatus.Closed);

        Assert.Equal(new[] { fresh, review }.Order(), (await ListedAsync("/triage?status=New&status=InReview")).Order());
        Assert.Equal([review], await ListedAsync("/triage?status=inreview"));
    }

    [Fact]
    public async Task Notice_ByItsReference_AndAnUnknownOneIsAnError()
    {
        var about = await Tip(null, "2014-90001");
        await Tip(null, "2014-90004");
        await Tip(null, null);

        Assert.Equal([about], await ListedAsync("/triage?notice=2014-90001"));
        await AssertErrorAsync("/triage?notice=2099-00000", "No notice has the reference");
    }

    [Fact]
    public async Task Desk()
    {
        var brazil = await Tip(null, "2014-90004");
        await Tip(null, "2014-90001");

        Assert.Equal([brazil], await ListedAsync("/triage?desk=br"));
        Assert.Empty(await ListedAsync("/triage?desk=FR"));
    }

    [Fact]
    public async Task Deadlines_OverdueAndDueSoon_FollowTheClock_AndAreFlagged()
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var acknowledgeOverdue = await Tip(t => t.SubmittedAtUtc = now.AddDays(-8));
        var acknowledgeDueSoon = await Tip(t => t.SubmittedAtUtc = now.AddDays(-6));
        var acknowledged = await Tip(t =>
        {
            t.SubmittedAtUtc = now.AddDays(-8);
            t.FirstActionAtUtc = now.AddDays(-7);
            t.Status = TipStatus.InReview;
        });
        var feedbackOverdue = await Tip(t =>
        {
            t.SubmittedAtUtc = now.AddMonths(-4);
            t.FirstActionAtUtc = now.AddMonths(-4).AddDays(1);
            t.Status = TipStatus.InReview;
        });
        await Tip(t =>
        {
            t.SubmittedAtUtc = now.AddMonths(-4);
            t.FirstActionAtUtc = now.AddMonths(-4).AddDays(1);
            t.Status = TipStatus.Closed;
        });
        await Tip(t => t.SubmittedAtUtc = now.AddDays(-1));
        var aboutToLapse = await Tip(t => t.SubmittedAtUtc = now.AddDays(-7).AddMinutes(10));

        Assert.Equal(new[] { acknowledgeOverdue, feedbackOverdue }.Order(), (await ListedAsync("/triage?deadline=overdue")).Order());
        Assert.Equal(new[] { acknowledgeDueSoon, aboutToLapse }.Order(), (await ListedAsync("/triage?deadline=due-soon")).Order());
        var page = await Html.ParseAsync(await app.Supervisor.GetAsync("/triage"));
        Assert.Contains("Acknowledge overdue", page.QuerySelector($"tr[data-tip-id='{acknowledgeOverdue}']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Acknowledge due soon", page.QuerySelector($"tr[data-tip-id='{acknowledgeDueSoon}']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Feedback overdue", page.QuerySelector($"tr[data-tip-id='{feedbackOverdue}']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("overdue", page.QuerySelector($"tr[data-tip-id='{acknowledged}']")!.TextContent, StringComparison.Ordinal);

        // Twenty minutes on (less than a session's idle time), the tip that was due soon is overdue.
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Contains(aboutToLapse, await ListedAsync("/triage?deadline=overdue"));
        Assert.DoesNotContain(aboutToLapse, await ListedAsync("/triage?deadline=due-soon"));
    }

    [Fact]
    public void TheFeedbackCutoff_AgreesWithTheDeadlineRule_AtMonthEnds()
    {
        var options = new DeadlineOptions();
        foreach (var now in new[] { new DateTime(2027, 2, 28, 10, 0, 0, DateTimeKind.Utc), new DateTime(2026, 5, 31, 0, 0, 0, DateTimeKind.Utc), new DateTime(2028, 2, 29, 23, 0, 0, DateTimeKind.Utc) })
        {
            var cutoff = Web.Features.Triage.QueueFilter.LatestSubmissionDueBy(now, s => TipDeadlines.FeedbackDue(s, options), 93);
            Assert.Equal(DeadlineState.Overdue, TipDeadlines.Feedback(cutoff, null, TipStatus.New, now, options));
            Assert.NotEqual(DeadlineState.Overdue, TipDeadlines.Feedback(cutoff.AddTicks(1), null, TipStatus.New, now, options));
        }
    }

    [Fact]
    public async Task Files_WithAndWithout_AndTheCountIsShown()
    {
        var withFiles = await Tip(t => { });
        var without = await Tip(t => { });
        await app.ScopedAsync(db =>
        {
            for (var i = 0; i < 2; i++)
            {
                db.TipAttachments.Add(new TipAttachment
                {
                    Id = Guid.NewGuid(),
                    TipId = withFiles,
                    Position = i,
                    ContentType = "image/jpeg",
                    Size = 1,
                    AddedAtUtc = Hour,
                    SealedContent = [0],
                    SealedOriginalHash = [0],
                });
            }

            return db.SaveChangesAsync();
        });

        Assert.Equal([withFiles], await ListedAsync("/triage?files=yes"));
        Assert.Equal([without], await ListedAsync("/triage?files=no"));
        var page = await Html.ParseAsync(await app.Supervisor.GetAsync("/triage"));
        Assert.Contains("Has files (2)", page.QuerySelector($"tr[data-tip-id='{withFiles}']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Has files", page.QuerySelector($"tr[data-tip-id='{without}']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadAnswer()
    {
        var unread = await Tip(t => t.AnswerUnread = true);
        await Tip(t => { });

        Assert.Equal([unread], await ListedAsync("/triage?unread=yes"));
    }

    [Fact]
    public async Task Grade_BySourceAndByInformation()
    {
        var b2 = await Tip(t =>
        {
            t.SourceGrade = SourceReliability.B;
            t.InformationGrade = InformationCredibility.KnownPersonally;
        });
        var b3 = await Tip(t =>
        {
            t.SourceGrade = SourceReliability.B;
            t.InformationGrade = InformationCredibility.Corroborated;
        });
        await Tip(t => { });

        Assert.Equal(new[] { b2, b3 }.Order(), (await ListedAsync("/triage?source=b")).Order());
        Assert.Equal([b2], await ListedAsync("/triage?source=B&information=2"));
    }

    [Fact]
    public async Task ThreatToLife_EitherKind()
    {
        var reported = await Tip(t => t.ThreatToLife = ThreatToLife.ReportedByTipster);
        var confirmed = await Tip(t => t.ThreatToLife = ThreatToLife.Confirmed);
        await Tip(t => { });

        Assert.Equal(new[] { reported, confirmed }.Order(), (await ListedAsync("/triage?threat=yes")).Order());
    }

    [Fact]
    public async Task DateRange_ByDay_BothEndsIncluded()
    {
        var first = await Tip(t => t.SubmittedAtUtc = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));
        var last = await Tip(t => t.SubmittedAtUtc = new DateTime(2026, 11, 3, 23, 0, 0, DateTimeKind.Utc));
        await Tip(t => t.SubmittedAtUtc = new DateTime(2026, 10, 31, 23, 0, 0, DateTimeKind.Utc));
        await Tip(t => t.SubmittedAtUtc = new DateTime(2026, 11, 4, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(new[] { first, last }.Order(), (await ListedAsync("/triage?from=2026-11-01&to=2026-11-03")).Order());
        Assert.Equal([first], await ListedAsync("/triage?to=2026-11-01&from=2026-11-01"));
    }

    [Theory]
    [InlineData("/triage?status=Lost", "Unknown status")]
    [InlineData("/triage?status=99", "Unknown status")]
    [InlineData("/triage?desk=Kenya", "A desk is a two-letter country code")]
    [InlineData("/triage?assigned=everyone", "Assigned is one of")]
    [InlineData("/triage?deadline=late", "Deadline is one of")]
    [InlineData("/triage?files=maybe", "Files is yes or no")]
    [InlineData("/triage?unread=no", "Unread answer is yes")]
    [InlineData("/triage?threat=1", "Threat to life is yes")]
    [InlineData("/triage?source=E", "Source grade is one of")]
    [InlineData("/triage?information=5", "Information grade is one of")]
    [InlineData("/triage?from=2026-13-01", "From is a day")]
    [InlineData("/triage?to=01/11/2026", "To is a day")]
    [InlineData("/triage?from=2026-11-05&to=2026-11-01", "From must be on or before To")]
    [InlineData("/triage?from=1900-01-01", "From is a day")]
    [InlineData("/triage?desk=KE&desk=BR", "given more than once")]
    [InlineData("/triage?notice=%3Cscript%3E", "A notice reference is")]
    public async Task BadFilterValues_GiveAClearErrorOnThePage(string path, string message)
    {
        await AssertErrorAsync(path, message);
    }

    [Fact]
    public async Task CountsPerStatus_FollowTheOtherFilters_ButNotTheStatusFilter()
    {
        await Tip(t => t.Status = TipStatus.New);
        await Tip(t => t.Status = TipStatus.New);
        await Tip(t => t.Status = TipStatus.InReview);
        await Tip(t =>
        {
            t.Status = TipStatus.InReview;
            t.ThreatToLife = ThreatToLife.Confirmed;
        });
        await Tip(t => t.Status = TipStatus.Closed, "2014-90004");

        var page = await Html.ParseAsync(await app.Supervisor.GetAsync("/triage?status=New&desk=KE"));
        Assert.Equal("(2)", Count(page, "New"));
        Assert.Equal("(2)", Count(page, "InReview"));
        Assert.Equal("(0)", Count(page, "Closed"));
        Assert.Equal("(4)", Count(page, "all"));
        Assert.Equal("/triage?status=InReview&desk=KE", page.QuerySelector("[data-count=InReview]")!.GetAttribute("href"));
        Assert.Equal(2, page.QuerySelectorAll("table.queue tbody tr").Length);

        var threat = await Html.ParseAsync(await app.Supervisor.GetAsync("/triage?threat=yes"));
        Assert.Equal("(0)", Count(threat, "New"));
        Assert.Equal("(1)", Count(threat, "InReview"));
    }

    [Fact]
    public async Task TheQueue_NeverShowsWhatTheTipsterWrote()
    {
        var tipster = Clients.New(app);
        var (posted, _) = await TipForms.SubmitAsync(tipster, "/tips/new?notice=2014-90001", f => f["Input.Description"] = "Seen behind the blue cannery on Tuesday.");
        await TipForms.ReceiptAsync(tipster, posted);

        var html = await (await app.Supervisor.GetAsync("/triage")).Content.ReadAsStringAsync();

        Assert.Single(await ListedAsync("/triage"));
        Assert.DoesNotContain("blue cannery", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheFilterForm_IsAPlainGetForm_ThatWorksWithoutJavaScript()
    {
        var review = await Tip(t => t.Status = TipStatus.InReview);
        await Tip(t => t.Status = TipStatus.New);
        var page = await Html.ParseAsync(await app.Supervisor.GetAsync("/triage"));
        var form = page.QuerySelector("form#queue-filter")!;

        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("/triage", form.GetAttribute("action"));

        var fields = Html.FormFields(page, "form#queue-filter");
        fields["status"] = "InReview";
        var url = "/triage" + QueryString.Create(fields.Where(f => f.Value.Length > 0).Select(f => KeyValuePair.Create(f.Key, (string?)f.Value)));
        Assert.Equal([review], await ListedAsync(url));
    }

    private static string Count(AngleSharp.Dom.IDocument page, string key) =>
        page.QuerySelector($"[data-count={key}] .count")!.TextContent;

    private Task<Guid> Tip(Action<Tip>? setUp) => Tip(setUp, "2014-90001");

    private Task<Guid> Tip(Action<Tip>? setUp, string? notice) => TriageSetup.AddTipAsync(app, notice, setUp);

    private async Task AssertErrorAsync(string path, string message)
    {
        var response = await app.Supervisor.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(message, page.QuerySelector("#queue-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("table.queue tbody tr"));
    }

    private async Task<List<Guid>> ListedAsync(string path)
    {
        var response = await app.Supervisor.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Html.ParseAsync(response)).QuerySelectorAll("table.queue tbody tr")
            .Select(row => Guid.Parse(row.GetAttribute("data-tip-id")!)).ToList();
    }

    public sealed class App : AppFactory, IAsyncLifetime
    {
        // Counts are cached for a few seconds in production; here every request must count afresh.
        public App()
            : base(new() { ["Queue:CountsCacheSeconds"] = "0" }) =>
            ExtraServices = services => services.AddSingleton<TimeProvider>(Clock);

        public TestClock Clock { get; } = new();

        public HttpClient Supervisor { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Supervisor = await Officers.SignInFirstTimeAsync(this, "filters@example.org", Roles.Supervisor);

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }
}
