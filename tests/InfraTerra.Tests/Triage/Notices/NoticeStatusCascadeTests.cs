using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Notices;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage.Notices;

/// <summary>A notice's arrest or withdrawal, set on its page, flows to its open tips, their tipsters, the tip form and every public surface at once.</summary>
public sealed class NoticeStatusCascadeTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Arrested_ClosesOnlyOpenTips_WithTheReason_AuditsEach_RefusesAnOfficersOlderForm_AndTellsTheTipster()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "arrest");
        var name = NoticeDesk.UniqueName("Egret");
        var reference = await NoticeDesk.CreateAsync(supervisor, name);
        await NoticeDesk.PublishAsync(supervisor, reference);
        var tipster = Clients.New(app);
        var (posted, _) = await TipForms.SubmitAsync(tipster, $"/tips/new?notice={reference}", f => f["Input.Description"] = "Seen at the river port.");
        var receipt = await TipForms.ReceiptAsync(tipster, posted);
        var secondVisitor = Clients.New(app);
        var openForm = await Html.ParseAsync(await secondVisitor.GetAsync($"/tips/new?notice={reference}"));
        var beforeArrest = Html.FormFields(openForm);
        beforeArrest["Input.CheckAnswer"] = TipForms.AnswerTo(openForm);
        beforeArrest["Input.Description"] = "Seen again at the ferry.";
        var inReview = await TriageSetup.AddTipAsync(app, reference, t => t.Status = TipStatus.InReview);
        var forwarded = await TriageSetup.AddTipAsync(app, reference, t => t.Status = TipStatus.Forwarded);
        var notActionable = await TriageSetup.AddTipAsync(app, reference, t => t.Status = TipStatus.NotActionable);
        var duplicate = await TriageSetup.AddTipAsync(app, reference, t => t.Status = TipStatus.Duplicate);
        var email = $"desk-ke-{Guid.NewGuid():N}@example.org";
        var officer = (await Officers.EnrolAsync(app, email, Roles.Officer)).Client;
        await TriageSetup.AddDeskAsync(app, email, "KE");
        var staleForm = Html.FormFields(await Html.ParseAsync(await officer.GetAsync($"/triage/tips/{inReview}/decide")), "form#decide-status");
        var visitor = app.CreateClient();
        Assert.True(await NoticeManagementTests.PublicEverywhereAsync(visitor, reference, name, expectAll: true));

        var response = await NoticeDesk.SetStatusAsync(supervisor, reference, NoticeStatus.Arrested);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var view = await Html.ParseAsync(await supervisor.GetAsync(response.Headers.Location!.OriginalString));
        Assert.Contains("3 open tip(s) were closed", view.QuerySelector("#confirmation")!.TextContent, StringComparison.Ordinal);
        var tips = await app.ScopedAsync(db => db.Tips.Where(t => t.Notice!.Reference == reference).ToDictionaryAsync(t => t.Id));
        var closed = tips.Values.Where(t => t.ClosedBecause == TipClosure.NoticeArrested).ToList();
        Assert.Equal(3, closed.Count);
        Assert.All(closed, t => Assert.Equal(TipStatus.Closed, t.Status));
        Assert.All(closed, t => Assert.Equal(1, t.Revision));
        Assert.All(closed, t => Assert.True(t.StatusChangedAtUtc > DateTime.UtcNow.AddMinutes(-1)));
        Assert.Contains(inReview, closed.Select(t => t.Id));
        Assert.Contains(forwarded, closed.Select(t => t.Id));
        Assert.Equal(TipStatus.NotActionable, tips[notActionable].Status);
        Assert.Equal(TipStatus.Duplicate, tips[duplicate].Status);
        Assert.Null(tips[duplicate].ClosedBecause);
        var audit = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == AuditActions.StatusChanged && r.Subject == reference).ToListAsync());
        Assert.Equal(closed.Select(t => t.Id).Order(), audit.Select(r => r.TipId!.Value).Order());
        Assert.Contains(audit, r => r.TipId == inReview && r.Detail == "InReview → Closed (NoticeArrested)");
        Assert.Equal(1, await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.NoticeStatusChanged && r.Subject == reference && r.Detail == "Wanted → Arrested")));

        // The officer's form, opened before, is refused rather than reopening the tip.
        staleForm["Input.Status"] = "Actionable";
        var refused = await officer.PostAsync($"/triage/tips/{inReview}/decide?handler=Status", new FormUrlEncodedContent(staleForm));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(TipStatus.Closed, await app.ScopedAsync(db => db.Tips.Where(t => t.Id == inReview).Select(t => t.Status).SingleAsync()));

        // The tipster reads why, in their language.
        var followUp = await Html.ParseAsync(await Clients.PostFormAsync(tipster, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        }));
        Assert.Equal("Closed", followUp.QuerySelector("#public-status")!.TextContent.Trim());
        Assert.Contains("has been arrested and is no longer sought, so your report is now closed", followUp.QuerySelector("#closed-because")!.TextContent, StringComparison.Ordinal);
        var french = await Html.ParseAsync(await Clients.PostFormAsync(Clients.New(app), "/fr/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        }));
        Assert.Contains("a été arrêtée", french.QuerySelector("#closed-because")!.TextContent, StringComparison.Ordinal);

        // Public side, right away: the page keeps a banner and stays listed for the grace period, the form takes no tip about the person.
        var page = await Html.ParseAsync(await visitor.GetAsync($"/notices/{reference}"));
        Assert.Contains("no longer sought", page.QuerySelector(".banner")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector($"main a[href$='/tips/new?notice={reference}']"));
        Assert.True(await NoticeManagementTests.PublicEverywhereAsync(visitor, reference, name, expectAll: true));
        var form = await Html.ParseAsync(await visitor.GetAsync($"/tips/new?notice={reference}"));
        Assert.Contains("is no longer sought, so reports about this person are no longer taken", form.QuerySelector("#no-longer-sought")!.TextContent, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(form.QuerySelector("#Input_Notice")!.GetAttribute("value")));
        var late = await secondVisitor.PostAsync($"/tips/new?notice={reference}", new FormUrlEncodedContent(beforeArrest));
        Assert.Contains("no longer sought", (await Html.ParseAsync(late)).QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(5, await app.ScopedAsync(db => db.Tips.CountAsync(t => t.Notice!.Reference == reference)));

        // Back to Wanted: nothing reopens.
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.SetStatusAsync(supervisor, reference, NoticeStatus.Wanted)).StatusCode);
        Assert.Equal(3, await app.ScopedAsync(db => db.Tips.CountAsync(t => t.Notice!.Reference == reference && t.Status == TipStatus.Closed && t.ClosedBecause == TipClosure.NoticeArrested)));
    }

    [Fact]
    public async Task ArrestedSetAgain_ClosesATipThatArrivedMeanwhile_ButNotOneAnOfficerReopenedAfterTheArrest()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "rearrest");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Heron"));
        await NoticeDesk.PublishAsync(supervisor, reference);
        var reopened = await TriageSetup.AddTipAsync(app, reference, t => t.Status = TipStatus.InReview);
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.SetStatusAsync(supervisor, reference, NoticeStatus.Arrested)).StatusCode);
        var arrestedAt = await app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference).Select(n => n.StatusChangedAtUtc).SingleAsync());

        // An officer reopens a tip after the arrest (to chase an accomplice); a tip saved while the arrest was being set arrives as New.
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == reopened)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TipStatus.InReview).SetProperty(t => t.ClosedBecause, (TipClosure?)null)
                .SetProperty(t => t.StatusChangedAtUtc, arrestedAt.AddMinutes(5))));
        var late = await TriageSetup.AddTipAsync(app, reference);

        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.SetStatusAsync(supervisor, reference, NoticeStatus.Arrested)).StatusCode);

        var tips = await app.ScopedAsync(db => db.Tips.AsNoTracking().Where(t => t.Id == reopened || t.Id == late).ToDictionaryAsync(t => t.Id));
        Assert.Equal(TipStatus.InReview, tips[reopened].Status);
        Assert.Equal((TipStatus.Closed, (TipClosure?)TipClosure.NoticeArrested), (tips[late].Status, tips[late].ClosedBecause));
    }

    [Fact]
    public async Task Sweep_ClosesATipThatReachedAnArrestedNoticeAfterItsCascade_AuditsIt_AndSparesAReopenedTip()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "sweep");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Ibis"));
        await NoticeDesk.PublishAsync(supervisor, reference);
        var reopened = await TriageSetup.AddTipAsync(app, reference, t => t.Status = TipStatus.InReview);
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.SetStatusAsync(supervisor, reference, NoticeStatus.Arrested)).StatusCode);
        var arrestedAt = await app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference).Select(n => n.StatusChangedAtUtc).SingleAsync());
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == reopened)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TipStatus.InReview).SetProperty(t => t.ClosedBecause, (TipClosure?)null)
                .SetProperty(t => t.StatusChangedAtUtc, arrestedAt.AddMinutes(5))));
        var late = await TriageSetup.AddTipAsync(app, reference);

        await using var scope = app.Services.CreateAsyncScope();
        var closed = await scope.ServiceProvider.GetRequiredService<NoticeStatusChanges>().SweepAsync(CancellationToken.None);

        Assert.True(closed >= 1);
        var tips = await app.ScopedAsync(db => db.Tips.AsNoTracking().Where(t => t.Id == reopened || t.Id == late).ToDictionaryAsync(t => t.Id));
        Assert.Equal(TipStatus.InReview, tips[reopened].Status);
        Assert.Equal((TipStatus.Closed, (TipClosure?)TipClosure.NoticeArrested), (tips[late].Status, tips[late].ClosedBecause));
        Assert.Equal(
            NoticeStatusChanges.SweepActor.Name,
            await app.ScopedAsync(db => db.AuditRecords.Where(r => r.TipId == late && r.Action == AuditActions.StatusChanged).Select(r => r.ActorName).SingleAsync()));
    }

    [Fact]
    public async Task EachBatchOfClosedTips_IsRescoredInItsOwnTransaction_SoAHalfSweepLeavesNoStaleScore()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "rescore");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Heron"));
        await NoticeDesk.PublishAsync(supervisor, reference);
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.SetStatusAsync(supervisor, reference, NoticeStatus.Arrested)).StatusCode);
        var notice = await app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference).Select(n => new { n.Id, n.StatusChangedAtUtc }).SingleAsync());
        var late = await TriageSetup.AddTipAsync(app, reference, t => t.PriorityScore = 12_345);

        // The batch alone, as a sweep cut short after it (a node that died) leaves it: no recompute after.
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<NoticeStatusChanges>()
            .CloseOpenTipsAsync(notice.Id, reference, TipClosure.NoticeArrested, NoticeStatusChanges.SweepActor, notice.StatusChangedAtUtc, CancellationToken.None));

        Assert.NotEqual(12_345, await app.ScopedAsync(db => db.Tips.Where(t => t.Id == late).Select(t => t.PriorityScore).SingleAsync()));
        Assert.Equal(0, await app.ScopedAsync(db => InfraTerra.Web.Features.Triage.TipScores.RecomputeAsync(db, db.Tips.Where(t => t.Id == late), DateTime.UtcNow, CancellationToken.None)));
    }

    [Fact]
    public void ASweepMoreOftenThanHourly_StopsTheAppAtStartUp_SoItsClosingCannotDateATipsArrival()
    {
        using var factory = new AppFactory(new() { ["Jobs:ClosedNoticeSweepMinutes"] = "5" });

        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
        Assert.Contains("Jobs:ClosedNoticeSweepMinutes must be between 60 and 1440", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdrawn_LeavesEveryPublicSurfaceAtOnce_PageAnswers410_ClosesTips_AndTheTipsterIsTold()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "withdraw");
        var name = NoticeDesk.UniqueName("Plover");
        var reference = await NoticeDesk.CreateAsync(supervisor, name);
        await NoticeDesk.PublishAsync(supervisor, reference);
        var tipster = Clients.New(app);
        var (posted, _) = await TipForms.SubmitAsync(tipster, $"/tips/new?notice={reference}", f => f["Input.Description"] = "Seen near the market.");
        var receipt = await TipForms.ReceiptAsync(tipster, posted);
        var visitor = app.CreateClient();
        Assert.True(await NoticeManagementTests.PublicEverywhereAsync(visitor, reference, name, expectAll: true));

        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.SetStatusAsync(supervisor, reference, NoticeStatus.Withdrawn)).StatusCode);

        Assert.Equal(HttpStatusCode.Gone, (await visitor.GetAsync($"/notices/{reference}")).StatusCode);
        var everywhere = new[]
        {
            (await (await visitor.GetAsync($"/notices?q={name}")).Content.ReadAsStringAsync()).Contains($"/notices/{reference}", StringComparison.Ordinal),
            (await visitor.GetAsync($"/api/v1/notices/{reference}")).StatusCode == HttpStatusCode.OK,
            (await (await visitor.GetAsync("/feeds/notices.atom")).Content.ReadAsStringAsync()).Contains($"/notices/{reference}", StringComparison.Ordinal),
            (await (await visitor.GetAsync("/sitemap-notices-1.xml")).Content.ReadAsStringAsync()).Contains($"/notices/{reference}", StringComparison.Ordinal),
        };
        Assert.All(everywhere, Assert.False);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/tips/new?notice={reference}")).StatusCode);
        var tip = await app.ScopedAsync(db => db.Tips.SingleAsync(t => t.Notice!.Reference == reference));
        Assert.Equal((TipStatus.Closed, TipClosure.NoticeWithdrawn), (tip.Status, tip.ClosedBecause));
        var followUp = await Html.ParseAsync(await Clients.PostFormAsync(tipster, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        }));
        Assert.Contains("has been withdrawn", followUp.QuerySelector("#closed-because")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_FromAnOlderViewOfTheNotice_IsRefusedWith409_AndClosesNothing()
    {
        var supervisor = await NoticeDesk.SupervisorAsync(app, "stale-status");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Stilt"));
        await NoticeDesk.PublishAsync(supervisor, reference);
        var tip = await TriageSetup.AddTipAsync(app, reference);
        var stale = await NoticeDesk.FormAsync(supervisor, reference, "status-form");
        var edit = await NoticeDesk.FormAsync(supervisor, reference, "notice-form");
        edit["Input.Reward"] = "A reward.";
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.PostAsync(supervisor, reference, null, edit)).StatusCode);

        stale["NewStatus"] = "Arrested";
        var response = await NoticeDesk.PostAsync(supervisor, reference, "Status", stale);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(NoticeStatus.Wanted, await app.ScopedAsync(db => db.Notices.Where(n => n.Reference == reference).Select(n => n.Status).SingleAsync()));
        Assert.Equal(TipStatus.New, await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.Status).SingleAsync()));
    }
}
