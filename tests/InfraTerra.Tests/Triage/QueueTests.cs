using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Triage;

public sealed class QueueTests
{
    private static readonly DateTime Hour = TriageSetup.Hour;

    [Fact]
    public async Task Officer_SeesOnlyTheTipsOfTheirDesks()
    {
        using var factory = new AppFactory();
        var kenya = await TriageSetup.AddTipAsync(factory, "2014-90001");
        var brazil = await TriageSetup.AddTipAsync(factory, "2014-90004");
        var general = await TriageSetup.AddTipAsync(factory, null);
        var officer = await Officers.SignInFirstTimeAsync(factory, "ke@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(factory, "ke@example.org", "KE");

        var listed = await ListedAsync(officer, "/triage");

        Assert.Equal([kenya], listed);
        Assert.DoesNotContain(brazil, listed);
        Assert.DoesNotContain(general, listed);
        Assert.Equal("BR", factory.Scoped(db => db.Tips.Single(t => t.Id == brazil).Desk));
    }

    [Fact]
    public async Task Officer_WithoutADesk_SeesNoTips()
    {
        using var factory = new AppFactory();
        await TriageSetup.AddTipAsync(factory, "2014-90001");
        var officer = await Officers.SignInFirstTimeAsync(factory, "nodesk@example.org", Roles.Officer);

        Assert.Empty(await ListedAsync(officer, "/triage"));
        Assert.Null((await Html.ParseAsync(await officer.GetAsync("/triage"))).QuerySelector("a[href='/triage/audit']"));
    }

    [Fact]
    public async Task Supervisor_SeesEveryDesk_AndFiltersByDesk()
    {
        using var factory = new AppFactory();
        var kenya = await TriageSetup.AddTipAsync(factory, "2014-90001");
        var brazil = await TriageSetup.AddTipAsync(factory, "2014-90004");
        var general = await TriageSetup.AddTipAsync(factory, null);
        var supervisor = await Officers.SignInFirstTimeAsync(factory, "sup@example.org", Roles.Supervisor);

        Assert.Equal(new[] { kenya, brazil, general }.Order(), (await ListedAsync(supervisor, "/triage")).Order());
        Assert.Equal([brazil], await ListedAsync(supervisor, "/triage?desk=BR"));
        Assert.NotNull((await Html.ParseAsync(await supervisor.GetAsync("/triage"))).QuerySelector("a[href='/triage/audit']"));
        Assert.Equal([general], await ListedAsync(supervisor, "/triage?desk=general"));
    }

    [Fact]
    public async Task Views_MineUnassignedAndUnread_FilterTheQueue_AndCountEachView()
    {
        using var factory = new AppFactory();
        var officer = await Officers.SignInFirstTimeAsync(factory, "me@example.org", Roles.Officer);
        await Officers.CreateAsync(factory, "colleague@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(factory, "me@example.org", "KE");
        var me = UserId(factory, "me@example.org");
        var colleague = UserId(factory, "colleague@example.org");
        var mine = await TriageSetup.AddTipAsync(factory, "2014-90001", t => t.AssignedToId = me);
        var theirs = await TriageSetup.AddTipAsync(factory, "2014-90001", t => t.AssignedToId = colleague);
        var answered = await TriageSetup.AddTipAsync(factory, "2014-90001", t => t.AnswerUnread = true);

        Assert.Equal([mine], await ListedAsync(officer, "/triage?view=mine"));
        Assert.Equal([answered], await ListedAsync(officer, "/triage?view=unassigned"));
        Assert.Equal([answered], await ListedAsync(officer, "/triage?view=unread"));
        Assert.Equal(3, (await ListedAsync(officer, "/triage?view=desks")).Count);

        var page = await Html.ParseAsync(await officer.GetAsync("/triage?view=mine"));
        Assert.Equal("(3)", page.QuerySelector("[data-count=desks]")!.TextContent);
        Assert.Equal("(1)", page.QuerySelector("[data-count=mine]")!.TextContent);
        Assert.Equal("(1)", page.QuerySelector("[data-count=unassigned]")!.TextContent);
        Assert.Equal("(1)", page.QuerySelector("[data-count=unread]")!.TextContent);
        Assert.Equal("page", page.QuerySelector("[data-view=mine]")!.GetAttribute("aria-current"));

        var row = (await Html.ParseAsync(await officer.GetAsync("/triage"))).QuerySelector($"tr[data-tip-id='{theirs}']")!;
        Assert.Contains("colleague@example.org", row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/triage/tips/{theirs}", row.QuerySelector("a")!.GetAttribute("href"));
        var unread = (await Html.ParseAsync(await officer.GetAsync("/triage"))).QuerySelector($"tr[data-tip-id='{answered}']")!;
        Assert.Contains("Unread answer", unread.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreatToLife_IsListedFirst_AndSaidInWords()
    {
        using var factory = new AppFactory();
        var newer = await TriageSetup.AddTipAsync(factory, "2014-90001", t => t.SubmittedAtUtc = Hour.AddHours(5));
        var threat = await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
        {
            t.SubmittedAtUtc = Hour.AddDays(-3);
            t.ThreatToLife = ThreatToLife.ReportedByTipster;
        });
        var graded = await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
        {
            t.SubmittedAtUtc = Hour.AddHours(1);
            t.SourceGrade = SourceReliability.B;
            t.InformationGrade = InformationCredibility.KnownPersonally;
        });
        var officer = await Officers.SignInFirstTimeAsync(factory, "ttl@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(factory, "ttl@example.org", "KE");

        Assert.Equal([threat, newer, graded], await ListedAsync(officer, "/triage"));
        var page = await Html.ParseAsync(await officer.GetAsync("/triage"));
        Assert.Contains("Threat to life", page.QuerySelector($"tr[data-tip-id='{threat}']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Threat to life", page.QuerySelector($"tr[data-tip-id='{newer}']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("B2", page.QuerySelector($"tr[data-tip-id='{graded}']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongQueue_PagesByCursor_WithoutRepeatsOrGaps_ThreatFirst()
    {
        using var factory = new AppFactory();
        var ids = new List<Guid>();
        for (var i = 0; i < IndexModel.PageSize + 12; i++)
        {
            var hour = Hour.AddHours(-(i / 5));
            ids.Add(await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
            {
                t.SubmittedAtUtc = hour;
                t.ThreatToLife = i is 7 or 60 ? ThreatToLife.Confirmed : ThreatToLife.None;
            }));
        }

        var supervisor = await Officers.SignInFirstTimeAsync(factory, "pages@example.org", Roles.Supervisor);
        var first = await Html.ParseAsync(await supervisor.GetAsync("/triage"));
        var firstIds = Rows(first);
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await Html.ParseAsync(await supervisor.GetAsync(next));
        var secondIds = Rows(second);

        Assert.Equal(IndexModel.PageSize, firstIds.Count);
        Assert.Null(second.QuerySelector("a[rel=next]"));
        Assert.Equal(ids.Order(), firstIds.Concat(secondIds).Order());
        Assert.Equal(new[] { ids[7], ids[60] }.Order(), firstIds.Take(2).Order());
        var expected = factory.Scoped(db => db.Tips.AsEnumerable()
            .OrderByDescending(t => t.ThreatToLife != ThreatToLife.None)
            .ThenByDescending(t => t.SubmittedAtUtc)
            .ThenBy(t => t.Id.ToString("D").ToUpperInvariant(), StringComparer.Ordinal)
            .Select(t => t.Id)
            .ToList());
        Assert.Equal(expected, firstIds.Concat(secondIds));
    }

    [Fact]
    public async Task AnAdministratorOnlyAccount_IsRefusedTheQueue()
    {
        using var factory = new AppFactory();
        await TriageSetup.AddTipAsync(factory, "2014-90001");
        var admin = await Officers.SignInFirstTimeAsync(factory, "admin-only@example.org", Roles.Administrator);

        var response = await admin.GetAsync("/triage");

        await TriageSetup.AssertForbiddenAsync(response);
    }

    private static async Task<List<Guid>> ListedAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        return Rows(await Html.ParseAsync(response));
    }

    private static List<Guid> Rows(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll("table.queue tbody tr").Select(row => Guid.Parse(row.GetAttribute("data-tip-id")!)).ToList();

    private static string UserId(AppFactory factory, string email) =>
        factory.Scoped(db => db.Users.Single(u => u.Email == email).Id);
}
