using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Audit;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Audit;

public sealed class AuditSearchTests
{
    [Fact]
    public async Task AnOfficerWithoutSupervisor_IsRefusedTheAuditLog()
    {
        using var factory = new AppFactory();
        var officer = await Officers.SignInFirstTimeAsync(factory, "plain@example.org", Roles.Officer);
        var admin = await Officers.SignInFirstTimeAsync(factory, "admin@example.org", Roles.Administrator);

        await TriageSetup.AssertForbiddenAsync(await officer.GetAsync("/triage/audit"));
        await TriageSetup.AssertForbiddenAsync(await admin.GetAsync("/triage/audit"));
        Assert.Equal(0, factory.Scoped(db => db.AuditRecords.Count(r => r.Action == AuditActions.AuditSearched)));
    }

    [Fact]
    public async Task ASupervisor_SearchesByActorActionAndTip_NewestFirst_AndTheSearchIsRecorded()
    {
        using var factory = new AppFactory();
        var supervisor = await Officers.SignInFirstTimeAsync(factory, "chief@example.org", Roles.Supervisor);
        await AuditSetup.AppendAsync(factory, 12);
        var tip = factory.Scoped(db => db.AuditRecords.Where(r => r.ActorName == "officer1@example.org").OrderBy(r => r.Sequence).Select(r => r.TipId).First())!.Value;

        var response = await supervisor.GetAsync($"/triage/audit?Input.Actor=OFFICER1@&Input.Action={AuditActions.TipViewed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var rows = (await Html.ParseAsync(response)).QuerySelectorAll("table.audit tbody tr");
        var expected = factory.Scoped(db => db.AuditRecords
            .Where(r => r.ActorName == "officer1@example.org" && r.Action == AuditActions.TipViewed)
            .OrderByDescending(r => r.Sequence).Select(r => r.Sequence.ToString()).ToList());
        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Select(r => r.GetAttribute("data-sequence")));

        var byTip = await Html.ParseAsync(await supervisor.GetAsync($"/triage/audit?Input.Tip={tip}"));
        var row = Assert.Single(byTip.QuerySelectorAll("table.audit tbody tr"));
        Assert.Equal($"/triage/tips/{tip}", row.QuerySelector("a")!.GetAttribute("href"));

        var searches = factory.Scoped(db => db.AuditRecords.Where(r => r.Action == AuditActions.AuditSearched).OrderBy(r => r.Sequence).ToList());
        Assert.Equal(2, searches.Count);
        Assert.Equal("chief@example.org", searches[0].ActorName);
        Assert.Equal($"actor=OFFICER1@ action={AuditActions.TipViewed}", searches[0].Detail);
        Assert.Equal($"tip={tip}", searches[1].Detail);
    }

    [Fact]
    public async Task AFilterThatIsNotATipId_IsIgnoredAndSaidSo()
    {
        using var factory = new AppFactory();
        var supervisor = await Officers.SignInFirstTimeAsync(factory, "typo@example.org", Roles.Supervisor);
        await AuditSetup.AppendAsync(factory, 3);
        var recorded = await factory.ScopedAsync(db => db.AuditRecords.CountAsync());

        var response = await supervisor.GetAsync("/triage/audit?Input.Tip=not-a-guid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Contains("could not be read", page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(recorded, page.QuerySelectorAll("table.audit tbody tr").Length);
    }

    [Fact]
    public async Task ALongLog_PagesBySequence()
    {
        using var factory = new AppFactory();
        var supervisor = await Officers.SignInFirstTimeAsync(factory, "pager@example.org", Roles.Supervisor);
        await AuditSetup.AppendAsync(factory, IndexModel.PageSize + 5);
        var all = factory.Scoped(db => db.AuditRecords.OrderByDescending(r => r.Sequence).Select(r => r.Sequence.ToString()).ToList());

        var first = await Html.ParseAsync(await supervisor.GetAsync("/triage/audit"));
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await Html.ParseAsync(await supervisor.GetAsync(next));

        var listed = first.QuerySelectorAll("table.audit tbody tr").Concat(second.QuerySelectorAll("table.audit tbody tr"))
            .Select(r => r.GetAttribute("data-sequence")!).ToList();
        Assert.Equal(all, listed);
        Assert.Null(second.QuerySelector("a[rel=next]"));
    }

    [Fact]
    public async Task ASupervisor_VerifiesTheChainOnRequest_AndSeesWhichRecordFails()
    {
        using var factory = new AppFactory();
        var supervisor = await Officers.SignInFirstTimeAsync(factory, "verifier@example.org", Roles.Supervisor);
        await AuditSetup.AppendAsync(factory, 5);

        var before = await Html.ParseAsync(await supervisor.GetAsync("/triage/audit"));
        Assert.Contains("Not verified", before.QuerySelector("#chain-status")!.TextContent, StringComparison.Ordinal);

        var verified = await VerifyAsync(supervisor);
        Assert.Equal("true", verified.QuerySelector("#chain-status")!.GetAttribute("data-intact"));

        await factory.ScopedAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE AuditRecords SET ActorName = 'someone-else@example.org' WHERE Sequence = 3"));
        var tampered = await VerifyAsync(supervisor);
        var status = tampered.QuerySelector("#chain-status")!;
        Assert.Equal("false", status.GetAttribute("data-intact"));
        Assert.Contains("record 3 was changed", status.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, factory.Scoped(db => db.AuditRecords.Count(r => r.Action == AuditActions.AuditVerified)));
    }

    private static async Task<AngleSharp.Dom.IDocument> VerifyAsync(HttpClient supervisor)
    {
        var page = await Html.ParseAsync(await supervisor.GetAsync("/triage/audit"));
        var form = page.QuerySelector("#chain form")!;
        var post = await supervisor.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(Html.FormFields(page, "#chain form")));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        return await Html.ParseAsync(await supervisor.GetAsync(post.Headers.Location));
    }
}
