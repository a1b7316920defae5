using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage;

/// <summary>Outcomes recorded on a tip or a cluster, their checks and audit, removal, and a notice's outcome history.</summary>
public sealed class OutcomesTests(TipViewApp app) : IClassFixture<TipViewApp>, IAsyncLifetime
{
    private static readonly string Today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static readonly string Tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        await app.ScopedAsync(db => db.TipOutcomes.ExecuteDeleteAsync());
        await app.ForgetTipsAsync();
        await app.ScopedAsync(db => db.TipClusters.ExecuteDeleteAsync());
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Officer_RecordsAnOutcomeFromTheTipView_StoredWithTheNotice_Audited_AndListed()
    {
        var (tip, _) = await app.CreateTipAsync("Saw him at the harbour.");
        var view = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        var form = (IHtmlFormElement)view.QuerySelector("#record-outcome")!;
        Assert.NotNull(view.QuerySelector("#no-outcomes"));
        var fields = Html.FormFields(view, "#record-outcome");
        fields["Input.Kind"] = "Arrest";
        fields["Input.Day"] = Today;

        var response = await app.ZaOfficer.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/triage/tips/{tip}#outcomes", response.Headers.Location?.OriginalString);
        var outcome = await app.ScopedAsync(db => db.TipOutcomes.SingleAsync());
        var noticeId = await app.ScopedAsync(db => db.Notices.Where(n => n.Reference == TipViewApp.NoticeReference).Select(n => n.Id).SingleAsync());
        Assert.Equal(tip, outcome.TipId);
        Assert.Null(outcome.ClusterId);
        Assert.Equal(noticeId, outcome.NoticeId);
        Assert.Equal(OutcomeKind.Arrest, outcome.Kind);
        Assert.Equal(Today, outcome.OccurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(await UserIdAsync(TipViewApp.ZaEmail), outcome.RecordedById);
        var record = await app.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.Action == AuditActions.OutcomeRecorded && r.TipId == tip));
        Assert.Equal($"Arrest, {Today}", record.Detail);
        Assert.Equal(TipViewApp.ZaEmail, record.ActorName);

        var after = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        Assert.Contains("Outcome recorded", after.QuerySelector("#outcome-confirmation")!.TextContent, StringComparison.Ordinal);
        var row = after.QuerySelector($"#outcome-{outcome.Id:N}")!;
        Assert.Equal("Arrest", row.QuerySelector(".outcome-kind")!.TextContent);
        Assert.Equal(Today, row.QuerySelector(".outcome-day")!.TextContent);
        Assert.Contains(TipViewApp.ZaEmail, row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/triage/outcomes?notice={TipViewApp.NoticeReference}", after.QuerySelector("#notice-outcomes-link")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("Arrest", "tomorrow", "The day it happened cannot be in the future.")]
    [InlineData("Arrest", "2026-11-29", "cannot be before 2026-11-30")]
    [InlineData("Arrest", "1999-05-01", "cannot be before 2026-11-30")]
    [InlineData("Arrest", "29/11/2026", "Write the day as yyyy-mm-dd")]
    [InlineData("Arrest", "", "Please give the day it happened.")]
    [InlineData("", "2026-11-30", "Please choose what it led to.")]
    [InlineData("Promotion", "2026-11-30", "Please choose one of: location confirmed, arrest, assets seized, no result.")]
    public async Task RecordOutcome_WithABadKindOrDay_ShowsAClearError_KeepsTheInput_AndStoresNothing(string kind, string day, string error)
    {
        var tip = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference);
        day = day == "tomorrow" ? Tomorrow : day;

        var response = await PostAsync(app.ZaOfficer, $"/triage/tips/{tip}/outcomes", "Record", f =>
        {
            f["Input.Kind"] = kind;
            f["Input.Day"] = day;
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains(error, page.QuerySelector("#outcome-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(day, page.QuerySelector<IHtmlInputElement>("#outcome-day")!.Value);
        if (kind == "Arrest")
        {
            Assert.True(page.QuerySelector<IHtmlInputElement>("#outcome-kind-Arrest")!.IsChecked);
        }

        Assert.False(await app.ScopedAsync(db => db.TipOutcomes.AnyAsync()));
        Assert.False(await app.ScopedAsync(db => db.AuditRecords.AnyAsync(r => r.Action == AuditActions.OutcomeRecorded && r.TipId == tip)));
    }

    [Fact]
    public async Task RecordOutcome_TheSameKindAndDayTwice_IsRecordedOnce()
    {
        var tip = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference);
        void Fill(Dictionary<string, string> f)
        {
            f["Input.Kind"] = "LocationConfirmed";
            f["Input.Day"] = "2026-11-30";
        }

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(app.ZaOfficer, $"/triage/tips/{tip}/outcomes", "Record", Fill)).StatusCode);
        var again = await PostAsync(app.ZaOfficer, $"/triage/tips/{tip}/outcomes", "Record", Fill);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already recorded", (await Html.ParseAsync(again)).QuerySelector("#outcome-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await app.ScopedAsync(db => db.TipOutcomes.CountAsync()));
    }

    [Fact]
    public async Task AnotherDesksTip_Is404_ForItsOutcomes_AndNothingIsRecorded()
    {
        var tip = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference);
        var token = await TokenAsync(app.KeOfficer);

        Assert.Equal(HttpStatusCode.NotFound, (await app.KeOfficer.GetAsync($"/triage/tips/{tip}/outcomes")).StatusCode);
        var own = await app.ZaOfficer.GetAsync($"/triage/tips/{tip}/outcomes");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.True(own.Headers.CacheControl?.NoStore);
        var post = await app.KeOfficer.PostAsync($"/triage/tips/{tip}/outcomes?handler=Record", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Kind"] = "Arrest",
            ["Input.Day"] = "2026-11-30",
        }));
        var noHandler = await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/outcomes", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(app.ZaOfficer),
        }));

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noHandler.StatusCode);
        Assert.False(await app.ScopedAsync(db => db.TipOutcomes.AnyAsync()));
    }

    [Fact]
    public async Task TheOfficerWhoRecordedIt_RemovesAnOutcome_Audited_ButAnotherOfficerOfTheDeskMayNot()
    {
        var tip = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(app.ZaOfficer, $"/triage/tips/{tip}/outcomes", "Record", f =>
        {
            f["Input.Kind"] = "AssetsSeized";
            f["Input.Day"] = "2026-12-01";
        })).StatusCode);
        var outcome = await app.ScopedAsync(db => db.TipOutcomes.SingleAsync());
        var colleague = await app.OnDeskAsync($"za.colleague.{Guid.NewGuid():N}@example.org", TipViewApp.NoticeDesk);

        var colleaguePage = await Html.ParseAsync(await colleague.GetAsync($"/triage/tips/{tip}/outcomes"));
        Assert.Null(colleaguePage.QuerySelector($"#outcome-{outcome.Id:N} form"));
        var refused = await colleague.PostAsync($"/triage/tips/{tip}/outcomes?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(colleague),
            ["Input.Outcome"] = outcome.Id.ToString(),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True(await app.ScopedAsync(db => db.TipOutcomes.AnyAsync()));

        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}/outcomes"));
        var removeForm = (IHtmlFormElement)page.QuerySelector($"#outcome-{outcome.Id:N} form")!;
        var removed = await app.ZaOfficer.PostAsync(removeForm.GetAttribute("action"), new FormUrlEncodedContent(Html.FormFields(page, $"#outcome-{outcome.Id:N} form")));

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.False(await app.ScopedAsync(db => db.TipOutcomes.AnyAsync()));
        var record = await app.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.Action == AuditActions.OutcomeRemoved && r.TipId == tip));
        Assert.Equal("Assets seized, 2026-12-01", record.Detail);
    }

    [Fact]
    public async Task OutcomeOnACluster_IsRecordedFromTheClusterView_WithItsNotice_And404ForAnotherDesk()
    {
        var (first, _) = await app.CreateTipAsync("First sighting.");
        var (second, _) = await app.CreateTipAsync("Second sighting.");
        var cluster = await ClusterAsync(first, second);

        var view = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/clusters/{cluster}"));
        var form = (IHtmlFormElement)view.QuerySelector("#record-outcome")!;
        var fields = Html.FormFields(view, "#record-outcome");
        fields["Input.Kind"] = "NoResult";
        fields["Input.Day"] = Today;
        var response = await app.ZaOfficer.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/triage/clusters/{cluster}#outcomes", response.Headers.Location?.OriginalString);
        var outcome = await app.ScopedAsync(db => db.TipOutcomes.SingleAsync());
        Assert.Equal(cluster, outcome.ClusterId);
        Assert.Null(outcome.TipId);
        Assert.NotNull(outcome.NoticeId);
        var record = await app.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.Action == AuditActions.OutcomeRecorded && r.Subject == $"cluster {cluster:N}"));
        Assert.Equal($"No result, {Today}", record.Detail);
        var after = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/clusters/{cluster}"));
        Assert.Equal("No result", after.QuerySelector($"#outcome-{outcome.Id:N} .outcome-kind")!.TextContent);

        Assert.Equal(HttpStatusCode.NotFound, (await app.KeOfficer.GetAsync($"/triage/clusters/{cluster}/outcomes")).StatusCode);
        var ke = await app.KeOfficer.PostAsync($"/triage/clusters/{cluster}/outcomes?handler=Record", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(app.KeOfficer),
            ["Input.Kind"] = "Arrest",
            ["Input.Day"] = Today,
        }));
        Assert.Equal(HttpStatusCode.NotFound, ke.StatusCode);
        Assert.Equal(1, await app.ScopedAsync(db => db.TipOutcomes.CountAsync()));
    }

    [Fact]
    public async Task NoticeHistory_ListsWhatTheOfficerMaySee_KeepsOutcomesOfDeletedTips_AndNamesABadReference()
    {
        var tip = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference);
        var gone = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference);
        var clustered = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference);
        var cluster = await ClusterAsync(clustered);
        var kenyan = await TriageSetup.AddTipAsync(app, TipViewApp.NoticeReference, t => t.Desk = "KE");
        await RecordAsync(app.ZaOfficer, $"/triage/tips/{tip}/outcomes", "LocationConfirmed", "2026-11-30");
        await RecordAsync(app.ZaOfficer, $"/triage/tips/{gone}/outcomes", "AssetsSeized", "2026-12-01");
        await RecordAsync(app.ZaOfficer, $"/triage/clusters/{cluster}/outcomes", "Arrest", "2026-12-02");
        await RecordAsync(app.KeOfficer, $"/triage/tips/{kenyan}/outcomes", "NoResult", "2026-11-30");
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == gone).ExecuteDeleteAsync());

        var za = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/outcomes?notice={TipViewApp.NoticeReference}"));
        var ke = await Html.ParseAsync(await app.KeOfficer.GetAsync($"/triage/outcomes?notice={TipViewApp.NoticeReference}"));

        var rows = za.QuerySelectorAll("#notice-outcome-list tbody tr").ToList();
        Assert.Equal(["Arrest", "Assets seized", "Location confirmed"], rows.Select(r => r.QuerySelector(".outcome-kind")!.TextContent));
        Assert.NotNull(rows[0].QuerySelector($"a[href='/triage/clusters/{cluster}']"));
        Assert.Contains("deleted under retention", rows[1].TextContent, StringComparison.Ordinal);
        Assert.NotNull(rows[2].QuerySelector($"a[href='/triage/tips/{tip}']"));
        Assert.Contains(TipViewApp.ZaEmail, rows[2].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(kenyan.ToString(), za.Body!.InnerHtml, StringComparison.Ordinal);
        var keKinds = ke.QuerySelectorAll("#notice-outcome-list .outcome-kind").Select(k => k.TextContent).ToList();
        Assert.Equal(["Assets seized", "No result"], keKinds);

        // The notice's own officer page shows the same history, by the same rule.
        var noticePage = await Html.ParseAsync(await app.KeOfficer.GetAsync($"/triage/notices/{TipViewApp.NoticeReference}"));
        Assert.Equal(keKinds, noticePage.QuerySelectorAll("#outcomes #notice-outcome-list .outcome-kind").Select(k => k.TextContent));

        var bad = await app.ZaOfficer.GetAsync("/triage/outcomes?notice=%3Cscript%3E");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("A notice reference is up to 20 letters", (await Html.ParseAsync(bad)).QuerySelector("#notice-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ZaOfficer.GetAsync("/triage/outcomes?notice=1999-00000")).StatusCode);
    }

    private async Task RecordAsync(HttpClient client, string path, string kind, string day) =>
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, path, "Record", f =>
        {
            f["Input.Kind"] = kind;
            f["Input.Day"] = day;
        })).StatusCode);

    /// <summary>Opens the outcomes page, fills its record form and posts it to the named handler.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string handler, Action<Dictionary<string, string>> fill)
    {
        var page = await Html.ParseAsync(await client.GetAsync(path));
        var fields = Html.FormFields(page, "#record-outcome");
        fill(fields);
        return await client.PostAsync($"{path}?handler={handler}", new FormUrlEncodedContent(fields));
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var page = await Html.ParseAsync(await client.GetAsync("/triage"));
        return page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    private Task<string> UserIdAsync(string email) => app.ScopedAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<Guid> ClusterAsync(params Guid[] tips) =>
        app.ScopedAsync(async db =>
        {
            var notice = await db.Tips.Where(t => t.Id == tips[0]).Select(t => t.NoticeId).SingleAsync();
            var cluster = new TipCluster { Id = Guid.NewGuid(), NoticeId = notice, TipCount = tips.Length, CreatedById = "test", CreatedAtUtc = DateTime.UtcNow };
            db.TipClusters.Add(cluster);
            await db.SaveChangesAsync();
            await db.Tips.Where(t => tips.Contains(t.Id)).ExecuteUpdateAsync(s => s.SetProperty(t => t.ClusterId, cluster.Id));
            return cluster.Id;
        });
}
