using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Retention;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage.Retention;

/// <summary>The hold over HTTP, as a Supervisor uses it on the tip view, and who may not.</summary>
public sealed class RetentionHoldTests(TipViewApp app) : IClassFixture<TipViewApp>
{
    private const string Reason = "Prosecutor in Durban asked us to keep it for the trial";

    [Fact]
    public async Task Supervisor_HoldsAnExpiredTip_WithAReason_ItSurvivesThePurge_AndGoesOnceReleased()
    {
        var supervisor = await Officers.SignInFirstTimeAsync(app, $"hold-{Guid.NewGuid():N}@example.org", Roles.Supervisor);
        var tip = await ExpiredTipAsync();
        var deletion = app.Scoped(db => db.Tips.Where(t => t.Id == tip).Select(t => t.StatusChangedAtUtc).Single()).AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var view = await Html.ParseAsync(await supervisor.GetAsync($"/triage/tips/{tip}"));
        Assert.Contains($"Deleted on {deletion}", System.Text.RegularExpressions.Regex.Replace(view.QuerySelector("#retention-due")!.TextContent, @"\s+", " "), StringComparison.Ordinal);
        var queue = await Html.ParseAsync(await supervisor.GetAsync("/triage?status=NotActionable"));
        Assert.Equal(deletion, queue.QuerySelector($"tr[data-tip-id='{tip}'] .flag-retention")!.GetAttribute("data-deleted-on"));

        var held = await PostAsync(supervisor, tip, "Hold", Html.FormFields(view, "form#retention-hold-form"), Reason);

        Assert.Equal(HttpStatusCode.Redirect, held.StatusCode);
        Assert.Equal($"/triage/tips/{tip}#retention", held.Headers.Location!.OriginalString);
        var row = app.Scoped(db => db.Tips.AsNoTracking().Single(t => t.Id == tip));
        Assert.NotNull(row.RetentionHeldAtUtc);
        Assert.StartsWith("note:", row.RetentionHoldReason, StringComparison.Ordinal);
        Assert.DoesNotContain("Durban", row.RetentionHoldReason, StringComparison.Ordinal);
        var record = app.Scoped(db => db.AuditRecords.Single(r => r.TipId == tip && r.Action == AuditActions.RetentionHeld));
        Assert.StartsWith("hold set; would have been deleted on", record.Detail, StringComparison.Ordinal);
        Assert.Equal(0, app.Scoped(db => db.AuditRecords.Count(r => (r.Detail ?? "").Contains("Durban") || (r.Subject ?? "").Contains("Durban"))));
        var shown = await Html.ParseAsync(await supervisor.GetAsync($"/triage/tips/{tip}"));
        Assert.Equal(Reason, shown.QuerySelector("#retention-hold-reason")!.TextContent);
        Assert.Contains($"On hold: kept past {deletion}, the day it would otherwise be deleted",
            System.Text.RegularExpressions.Regex.Replace(shown.QuerySelector("#retention-due")!.TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.NotNull(shown.QuerySelector("#retention-confirmation"));
        Assert.Null((await Html.ParseAsync(await supervisor.GetAsync("/triage?status=NotActionable"))).QuerySelector($"tr[data-tip-id='{tip}'] .flag-retention"));

        await PurgeAsync();
        Assert.True(app.Scoped(db => db.Tips.Any(t => t.Id == tip)));

        var released = await PostAsync(supervisor, tip, "Release", Html.FormFields(shown, "form#retention-release"));

        Assert.Equal(HttpStatusCode.Redirect, released.StatusCode);
        Assert.Null(app.Scoped(db => db.Tips.Where(t => t.Id == tip).Select(t => t.RetentionHeldAtUtc).Single()));
        Assert.Equal("hold released", app.Scoped(db => db.AuditRecords.Single(r => r.TipId == tip && r.Action == AuditActions.RetentionReleased)).Detail);
        await PurgeAsync();
        Assert.False(app.Scoped(db => db.Tips.Any(t => t.Id == tip)));
    }

    [Fact]
    public async Task Hold_OnAnOlderViewOfTheTip_Is409_WithoutAReason_IsRefused_AndNothingIsSaved()
    {
        var supervisor = await Officers.SignInFirstTimeAsync(app, $"hold-{Guid.NewGuid():N}@example.org", Roles.Supervisor);
        var tip = await ExpiredTipAsync();
        var form = Html.FormFields(await Html.ParseAsync(await supervisor.GetAsync($"/triage/tips/{tip}")), "form#retention-hold-form");

        var empty = await PostAsync(supervisor, tip, "Hold", form, "   ");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("Please say why this tip must be kept.", (await Html.ParseAsync(empty)).QuerySelector("#retention-error")!.TextContent, StringComparison.Ordinal);

        // Another decision taken meanwhile moves the revision on.
        app.Scoped(db => db.Tips.Where(t => t.Id == tip).ExecuteUpdate(s => s.SetProperty(t => t.Revision, t => t.Revision + 1)));
        var stale = await PostAsync(supervisor, tip, "Hold", form, Reason);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Someone else changed this tip", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Reason, (await Html.ParseAsync(stale)).QuerySelector("#retention-reason")!.TextContent);
        Assert.Null(app.Scoped(db => db.Tips.Where(t => t.Id == tip).Select(t => t.RetentionHeldAtUtc).Single()));
        Assert.Equal(0, app.Scoped(db => db.AuditRecords.Count(r => r.TipId == tip && r.Action == AuditActions.RetentionHeld)));
    }

    [Fact]
    public async Task Hold_ByAnOfficer_Is403AndNotOffered_ByAnotherDesk_Is404()
    {
        var tip = await ExpiredTipAsync();
        var officerView = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        Assert.NotNull(officerView.QuerySelector("#retention-due"));
        Assert.Null(officerView.QuerySelector("form#retention-hold-form"));

        // The officer's own antiforgery token, from a form the officer has.
        var fields = Html.FormFields(officerView, "form#note-form");
        fields["Input.Revision"] = app.Scoped(db => db.Tips.Where(t => t.Id == tip).Select(t => t.Revision).Single()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TriageSetup.AssertForbiddenAsync(await PostAsync(app.ZaOfficer, tip, "Hold", fields, Reason));

        var otherDesk = await app.KeOfficer.GetAsync($"/triage/tips/{tip}");
        Assert.Equal(HttpStatusCode.NotFound, otherDesk.StatusCode);
        var keFields = Html.FormFields(await Html.ParseAsync(await app.KeOfficer.GetAsync("/triage")), "form#save-view");
        keFields["Input.Revision"] = fields["Input.Revision"];
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(app.KeOfficer, tip, "Hold", keFields, Reason)).StatusCode);

        Assert.Null(app.Scoped(db => db.Tips.Where(t => t.Id == tip).Select(t => t.RetentionHeldAtUtc).Single()));
    }

    private async Task<Guid> ExpiredTipAsync()
    {
        var (tip, _) = await app.CreateTipAsync("Seen near the container terminal.");
        var changed = DateTime.UtcNow.AddDays(-100);
        app.Scoped(db => db.Tips.Where(t => t.Id == tip).ExecuteUpdate(s => s
            .SetProperty(t => t.Status, TipStatus.NotActionable).SetProperty(t => t.StatusChangedAtUtc, changed)));
        return tip;
    }

    private async Task<RetentionPurge.Result> PurgeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionPurge>().RunAsync(AuditActor.CommandLine, dryRun: false, CancellationToken.None);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid tip, string handler, Dictionary<string, string> fields, string? reason = null)
    {
        if (reason is not null)
        {
            fields["Input.Reason"] = reason;
        }

        return client.PostAsync($"/triage/tips/{tip}/retention?handler={handler}", new FormUrlEncodedContent(fields));
    }
}
