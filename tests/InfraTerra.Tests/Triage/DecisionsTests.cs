using System.Net;
using System.Text;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Features.Triage.Tips;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

public sealed class DecisionsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Claim_TwoOfficersAtOnceOnTheSameView_ExactlyOneWins_TheOtherIsToldAndNothingIsOverwritten()
    {
        var tip = await NewTipAsync();
        var (first, firstId) = await OfficerAsync("race-a", Tip.GeneralDesk);
        var (second, secondId) = await OfficerAsync("race-b", Tip.GeneralDesk);
        var firstForm = await FormAsync(first, tip, "decide-claim");
        var secondForm = await FormAsync(second, tip, "decide-claim");
        Assert.Equal(firstForm["Input.Revision"], secondForm["Input.Revision"]);

        var responses = await Task.WhenAll(PostAsync(first, tip, "Claim", firstForm), PostAsync(second, tip, "Claim", secondForm));

        var won = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        var lost = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Redirect);
        Assert.Equal($"/triage/tips/{tip}", won.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        var page = await Html.ParseAsync(lost);
        Assert.Contains("Someone else changed this tip since you opened it", page.QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"#decision-error a[href='/triage/tips/{tip}']"));

        var winnerId = won == responses[0] ? firstId : secondId;
        var stored = await shared.ScopedAsync(db => db.Tips.SingleAsync(t => t.Id == tip));
        Assert.Equal(winnerId, stored.AssignedToId);
        Assert.Equal(1, stored.Revision);
        Assert.NotNull(stored.FirstActionAtUtc);
        Assert.Equal(1, await shared.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.TipId == tip && r.Action == AuditActions.Claimed)));

        // The loser's page shows the tip as it is now: the winner holds it.
        Assert.Null(page.QuerySelector("#decide-claim"));
        Assert.Contains(winnerId == firstId ? "race-a" : "race-b", page.QuerySelector("#current-assignee")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_OnAnOlderViewOfTheTip_IsRefused_KeepsWhatWasTyped_AndOverwritesNothing()
    {
        var tip = await NewTipAsync();
        var (officer, _) = await OfficerAsync("stale", Tip.GeneralDesk);
        var statusForm = await FormAsync(officer, tip, "decide-status");
        var gradeForm = await FormAsync(officer, tip, "decide-grade");
        gradeForm["Input.Source"] = "B";
        gradeForm["Input.Information"] = "KnownPersonally";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(officer, tip, "Grade", gradeForm)).StatusCode);

        statusForm["Input.Status"] = "Closed";
        statusForm["Input.Reason"] = "Typed on the older view";
        var response = await PostAsync(officer, tip, "Status", statusForm);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("Someone else changed this tip since you opened it", page.QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Typed on the older view", page.QuerySelector("#decide-status-reason")!.TextContent);
        Assert.Equal("Closed", page.QuerySelector("#decide-status-select option[selected]")!.GetAttribute("value"));
        Assert.Contains("B2", page.QuerySelector("#current-grade")!.TextContent, StringComparison.Ordinal);
        var stored = await shared.ScopedAsync(db => db.Tips.SingleAsync(t => t.Id == tip));
        Assert.Equal(TipStatus.New, stored.Status);
        Assert.Equal(SourceReliability.B, stored.SourceGrade);
        Assert.Equal(1, stored.Revision);
        Assert.False(await shared.ScopedAsync(db => db.TipNotes.AnyAsync(n => n.TipId == tip && n.Kind == TipNoteKind.StatusReason)));
    }

    [Fact]
    public async Task Status_WithAReason_StoresASealedNoteAndAnAuditRecord_AndTheTipsterSeesOnlyThePublicStatus()
    {
        var (tip, receipt) = await NewTipWithReceiptAsync();
        var original = await NewTipAsync();
        var (officer, officerId) = await OfficerAsync("status", Tip.GeneralDesk);
        var reason = "Same sighting as tip ReasonWord" + Guid.NewGuid().ToString("N")[..8];
        var form = await FormAsync(officer, tip, "decide-status");
        form["Input.Status"] = "Duplicate";
        form["Input.DuplicateOf"] = original.ToString();
        form["Input.Reason"] = reason;

        var response = await PostAsync(officer, tip, "Status", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/triage/tips/{tip}", response.Headers.Location?.OriginalString);
        await using (var scope = shared.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var stored = await db.Tips.SingleAsync(t => t.Id == tip);
            Assert.Equal(TipStatus.Duplicate, stored.Status);
            var note = await db.TipNotes.SingleAsync(n => n.TipId == tip);
            Assert.Equal(TipNoteKind.StatusReason, note.Kind);
            Assert.Equal(officerId, note.AuthorId);
            Assert.DoesNotContain(reason, Encoding.UTF8.GetString(note.SealedBody), StringComparison.Ordinal);
            Assert.Equal(reason, scope.ServiceProvider.GetRequiredService<TipStore>().OpenNote(stored, note));
            var audit = await db.AuditRecords.SingleAsync(r => r.TipId == tip && r.Action == AuditActions.StatusChanged);
            Assert.Equal("New → Duplicate", audit.Detail);
            Assert.Equal(officerId, audit.ActorId);
        }

        // The confirmation travels to the tip view in TempData; the decisions partial shows it once.
        var after = await Html.ParseAsync(await officer.GetAsync($"/triage/tips/{tip}/decide"));
        Assert.Contains("New → Duplicate", after.QuerySelector("#decision-confirmation")!.TextContent, StringComparison.Ordinal);

        var tipster = Clients.New(shared);
        var followUp = await Clients.PostFormAsync(tipster, "/tips/follow-up?handler=Open", f =>
        {
            f["Receipt"] = receipt;
            return f;
        });
        var html = await followUp.Content.ReadAsStringAsync();
        var status = (await Html.ParseAsync(followUp)).QuerySelector("#public-status")!.TextContent;
        Assert.Contains("Closed", status, StringComparison.Ordinal);
        Assert.DoesNotContain("Duplicate", html, StringComparison.Ordinal);
        Assert.DoesNotContain(reason, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ClosingWithoutAReason_IsRefusedWithTheChoiceKept()
    {
        var tip = await NewTipAsync();
        var (officer, _) = await OfficerAsync("noreason", Tip.GeneralDesk);
        var form = await FormAsync(officer, tip, "decide-status");
        form["Input.Status"] = "NotActionable";

        var response = await PostAsync(officer, tip, "Status", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("Please give a reason for Not actionable", page.QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("NotActionable", page.QuerySelector("#decide-status-select option[selected]")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector($"#back-to-tip[href='/triage/tips/{tip}']"));
        Assert.Equal(TipStatus.New, await shared.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.Status).SingleAsync()));
    }

    [Fact]
    public async Task Grade_IsStoredAuditedAndShown()
    {
        var tip = await NewTipAsync();
        var (officer, _) = await OfficerAsync("grade", Tip.GeneralDesk);
        var form = await FormAsync(officer, tip, "decide-grade");
        form["Input.Source"] = "B";
        form["Input.Information"] = "KnownPersonally";
        form["Input.Note"] = "The photo matches the notice.";

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(officer, tip, "Grade", form)).StatusCode);

        var stored = await shared.ScopedAsync(db => db.Tips.SingleAsync(t => t.Id == tip));
        Assert.Equal(SourceReliability.B, stored.SourceGrade);
        Assert.Equal(InformationCredibility.KnownPersonally, stored.InformationGrade);
        Assert.Equal("B2", await shared.ScopedAsync(db => db.AuditRecords.Where(r => r.TipId == tip && r.Action == AuditActions.Graded).Select(r => r.Detail).SingleAsync()));
        Assert.Equal(TipNoteKind.GradeNote, await shared.ScopedAsync(db => db.TipNotes.Where(n => n.TipId == tip).Select(n => n.Kind).SingleAsync()));
        var page = await Html.ParseAsync(await officer.GetAsync($"/triage/tips/{tip}/decide"));
        Assert.Contains("B2", page.QuerySelector("#current-grade")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("B", page.QuerySelector("#decide-source option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Forward_MovesTheTip_TheSendingDeskKeepsReadOnlyAccess_TheReceivingDeskActs()
    {
        var tip = await NewTipAsync();
        var (sender, _) = await OfficerAsync("sender", Tip.GeneralDesk);
        var (receiver, receiverId) = await OfficerAsync("receiver", "KE");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(sender, tip, "Claim", await FormAsync(sender, tip, "decide-claim"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await receiver.GetAsync($"/triage/tips/{tip}/decide")).StatusCode);

        var forward = await FormAsync(sender, tip, "decide-forward");
        forward["Input.Desk"] = "KE";
        forward["Input.Reason"] = "The sighting was in Nairobi.";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(sender, tip, "Forward", forward)).StatusCode);

        var stored = await shared.ScopedAsync(db => db.Tips.SingleAsync(t => t.Id == tip));
        Assert.Equal("KE", stored.Desk);
        Assert.Null(stored.AssignedToId);
        Assert.True(await shared.ScopedAsync(db => db.TipDeskShares.AnyAsync(s => s.TipId == tip && s.Desk == Tip.GeneralDesk)));
        Assert.Equal($"{Tip.GeneralDesk} → KE", await shared.ScopedAsync(db => db.AuditRecords.Where(r => r.TipId == tip && r.Action == AuditActions.Forwarded).Select(r => r.Detail).SingleAsync()));

        var readOnly = await sender.GetAsync($"/triage/tips/{tip}/decide");
        Assert.Equal(HttpStatusCode.OK, readOnly.StatusCode);
        var readPage = await Html.ParseAsync(readOnly);
        Assert.NotNull(readPage.QuerySelector("#read-only-note"));
        Assert.Empty(readPage.QuerySelectorAll("#decisions form"));
        Assert.Contains("KE", readPage.QuerySelector("#current-desk")!.TextContent, StringComparison.Ordinal);

        // A form kept from before the forward, with the current revision: still refused.
        var stale = new Dictionary<string, string>(forward) { ["Input.Revision"] = stored.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var refused = await PostAsync(sender, tip, "Claim", stale);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("no longer decide", (await Html.ParseAsync(refused)).QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(receiver, tip, "Claim", await FormAsync(receiver, tip, "decide-claim"))).StatusCode);
        Assert.Equal(receiverId, await shared.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.AssignedToId).SingleAsync()));
    }

    [Fact]
    public async Task Decision_ByAnOfficerOfAnotherDesk_Answers404()
    {
        var tip = await NewTipAsync();
        var (other, _) = await OfficerAsync("otherdesk", "FR");
        var queue = await Html.ParseAsync(await other.GetAsync("/triage"));
        var fields = Html.FormFields(queue, "form[action='/account/logout']");
        fields["Input.Revision"] = "0";

        var response = await PostAsync(other, tip, "Claim", fields);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/triage/tips/{tip}/decide")).StatusCode);
        Assert.Null(await shared.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.AssignedToId).SingleAsync()));
    }

    [Fact]
    public async Task DangerBox_TickedByTheTipster_FlagsTheTip_AndAnOfficerClearsItOnlyWithAReason()
    {
        var tipster = Clients.New(shared);
        var (posted, fields) = await TipForms.SubmitAsync(tipster, "/tips/new", f =>
        {
            f["Input.Description"] = "They are holding a ranger at the camp.";
            f["Input.SomeoneInDanger"] = "true";
        });
        await TipForms.ReceiptAsync(tipster, posted);
        var tip = await shared.ScopedAsync(db => db.Tips.Where(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])).Select(t => t.Id).SingleAsync());
        Assert.Equal(ThreatToLife.ReportedByTipster, await ThreatOfAsync(tip));

        var (officer, _) = await OfficerAsync("threat", Tip.GeneralDesk);
        var form = await FormAsync(officer, tip, "decide-threat");
        form["Input.Threat"] = "Clear";
        var refused = await PostAsync(officer, tip, "ThreatToLife", form);
        Assert.Contains("needs a reason", (await Html.ParseAsync(refused)).QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ThreatToLife.ReportedByTipster, await ThreatOfAsync(tip));

        form["Input.Reason"] = "The ranger was released yesterday.";
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(officer, tip, "ThreatToLife", form)).StatusCode);
        Assert.Equal(ThreatToLife.None, await ThreatOfAsync(tip));
    }

    [Fact]
    public async Task DangerBox_LeftUnticked_LeavesNoFlag()
    {
        var tipster = Clients.New(shared);
        var (posted, fields) = await TipForms.SubmitAsync(tipster, "/tips/new", f => f["Input.Description"] = "Seen at the market on Tuesday.");
        await TipForms.ReceiptAsync(tipster, posted);
        var tip = await shared.ScopedAsync(db => db.Tips.Where(t => t.IdempotencyKeyHash == FormKeys.Hash(fields["Input.FormKey"])).Select(t => t.Id).SingleAsync());

        Assert.Equal(ThreatToLife.None, await ThreatOfAsync(tip));
    }

    [Fact]
    public async Task Assign_ASupervisorAssignsAnOfficerOfTheDesk_AnOfficerCannot()
    {
        var tip = await NewTipAsync();
        var (supervisor, _) = await OfficerAsync("super", Tip.GeneralDesk, Roles.Supervisor);
        var (_, officerId) = await OfficerAsync("assignee", Tip.GeneralDesk);
        var (_, elsewhereId) = await OfficerAsync("elsewhere", "FR");
        var form = await FormAsync(supervisor, tip, "decide-assign");
        Assert.Null((await Html.ParseAsync(await supervisor.GetAsync($"/triage/tips/{tip}/decide"))).QuerySelector($"#decide-assignee option[value='{elsewhereId}']"));
        form["Input.AssigneeId"] = elsewhereId;
        var refused = await PostAsync(supervisor, tip, "Assign", form);
        Assert.Contains("Please choose an officer of this tip's desk", (await Html.ParseAsync(refused)).QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);
        form["Input.AssigneeId"] = officerId;

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(supervisor, tip, "Assign", form)).StatusCode);

        Assert.Equal(officerId, await shared.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.AssignedToId).SingleAsync()));
        var (plain, _) = await OfficerAsync("plain", Tip.GeneralDesk);
        var page = await Html.ParseAsync(await plain.GetAsync($"/triage/tips/{tip}/decide"));
        Assert.Null(page.QuerySelector("#decide-assign"));
        Assert.Null(page.QuerySelector("#decide-release"));
        Assert.Null(page.QuerySelector("#decide-claim"));
        var forged = await FormAsync(plain, tip, "decide-status");
        forged["Input.AssigneeId"] = officerId;
        var notSupervisor = await PostAsync(plain, tip, "Assign", forged);
        Assert.Contains("Only a Supervisor", (await Html.ParseAsync(notSupervisor)).QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_ByTheHolder_FreesTheTip_ByAnotherOfficer_IsRefused()
    {
        var tip = await NewTipAsync();
        var (holder, _) = await OfficerAsync("holder", Tip.GeneralDesk);
        var (colleague, _) = await OfficerAsync("colleague", Tip.GeneralDesk);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(holder, tip, "Claim", await FormAsync(holder, tip, "decide-claim"))).StatusCode);

        Assert.Null((await Html.ParseAsync(await colleague.GetAsync($"/triage/tips/{tip}/decide"))).QuerySelector("#decide-release"));
        var forged = await FormAsync(colleague, tip, "decide-status");
        var refused = await PostAsync(colleague, tip, "Release", forged);
        Assert.Contains("Only the officer holding this tip", (await Html.ParseAsync(refused)).QuerySelector("#decision-error")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(holder, tip, "Release", await FormAsync(holder, tip, "decide-release"))).StatusCode);
        Assert.Null(await shared.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.AssignedToId).SingleAsync()));
        Assert.Equal(1, await shared.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.TipId == tip && r.Action == AuditActions.Released)));
    }

    [Fact]
    public async Task Decision_WithoutTheRevision_IsRefused()
    {
        var tip = await NewTipAsync();
        var (officer, _) = await OfficerAsync("norevision", Tip.GeneralDesk);
        var form = await FormAsync(officer, tip, "decide-claim");
        form.Remove("Input.Revision");

        var response = await PostAsync(officer, tip, "Claim", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await shared.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.AssignedToId).SingleAsync()));
    }

    private Task<ThreatToLife> ThreatOfAsync(Guid tip) =>
        shared.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.ThreatToLife).SingleAsync());

    private async Task<Guid> NewTipAsync() => (await NewTipWithReceiptAsync()).Id;

    /// <summary>A tip on the General desk, stored through the tip store (sealed under its own key).</summary>
    private async Task<(Guid Id, string Receipt)> NewTipWithReceiptAsync()
    {
        await using var scope = shared.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<TipStore>();
        var receipt = await store.CreateAsync(
            new TipStore.NewTip(null, null, null, new TipContent("Seen loading timber at the river port.", null)), TipStore.NewFormKey(), [], CancellationToken.None);
        return ((await store.FindByReceiptAsync(receipt, CancellationToken.None)).TipId!.Value, receipt);
    }

    /// <summary>An officer signed in with a second factor, holding <paramref name="desk"/>.</summary>
    private async Task<(HttpClient Client, string Id)> OfficerAsync(string name, string desk, string role = Roles.Officer)
    {
        var email = $"{name}-{Guid.NewGuid().ToString("N")[..8]}@example.org";
        var client = (await Officers.EnrolAsync(shared, email, role)).Client;
        var id = await shared.ScopedAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            db.OfficerDesks.Add(new OfficerDesk { UserId = user.Id, Desk = desk });
            await db.SaveChangesAsync();
            return user.Id;
        });
        return (client, id);
    }

    private static async Task<Dictionary<string, string>> FormAsync(HttpClient client, Guid tip, string formId)
    {
        var response = await client.GetAsync($"/triage/tips/{tip}/decide");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Html.FormFields(await Html.ParseAsync(response), $"form#{formId}");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid tip, string handler, Dictionary<string, string> fields) =>
        client.PostAsync($"/triage/tips/{tip}/decide?handler={handler}", new FormUrlEncodedContent(fields));
}
