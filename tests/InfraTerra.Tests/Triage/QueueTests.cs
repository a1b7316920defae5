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
    public async Task Assigned_MeUnassignedAndUnread_FilterTheQueue_AndTheHolderIsShown()
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

        // Mine follows the officer's own tips even to a desk they are not on.
        var mineElsewhere = await TriageSetup.AddTipAsync(factory, "2014-90004", t => t.AssignedToId = me);
        await factory.ScopedAsync(db =>
        {
            db.TipDeskShares.Add(new TipDeskShare { TipId = mineElsewhere, Desk = "KE", SharedAtUtc = Hour });
            return db.SaveChangesAsync();
        });

        Assert.Equal(new[] { mine, mineElsewhere }.Order(), (await ListedAsync(officer, "/triage?assigned=me")).Order());
        Assert.Equal([answered], await ListedAsync(officer, "/triage?assigned=unassigned"));
        Assert.Equal([answered], await ListedAsync(officer, "/triage?unread=yes"));
        Assert.Equal(3, (await ListedAsync(officer, "/triage")).Count);
        Assert.Equal(3, (await ListedAsync(officer, "/triage?assigned=anyone")).Count);

        var row = (await Html.ParseAsync(await officer.GetAsync("/triage"))).QuerySelector($"tr[data-tip-id='{theirs}']")!;
        Assert.Contains("colleague@example.org", row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/triage/tips/{theirs}", row.QuerySelector("a")!.GetAttribute("href"));
        var unread = (await Html.ParseAsync(await officer.GetAsync("/triage"))).QuerySelector($"tr[data-tip-id='{answered}']")!;
        Assert.Contains("Unread answer", unread.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HighestScoreFirst_ThenTheOldest_WithTheScoreAndItsReasonsShown()
    {
        using var factory = new AppFactory();
        var newer = await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
        {
            t.SubmittedAtUtc = Hour.AddHours(5);
            t.PriorityScore = 100;
            t.PriorityReasons = PriorityReasons.AboutWantedNotice;
        });
        var threat = await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
        {
            t.SubmittedAtUtc = Hour.AddDays(-3);
            t.ThreatToLife = ThreatToLife.ReportedByTipster;
            t.PriorityScore = TipPriority.ThreatReportedWeight;
            t.PriorityReasons = PriorityReasons.ThreatToLifeReported;
        });
        var older = await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
        {
            t.SubmittedAtUtc = Hour.AddHours(1);
            t.PriorityScore = 100;
            t.SourceGrade = SourceReliability.B;
            t.InformationGrade = InformationCredibility.KnownPersonally;
        });
        var low = await TriageSetup.AddTipAsync(factory, "2014-90001", t => t.SubmittedAtUtc = Hour.AddDays(-30));
        var officer = await Officers.SignInFirstTimeAsync(factory, "ttl@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(factory, "ttl@example.org", "KE");

        Assert.Equal([threat, older, newer, low], await ListedAsync(officer, "/triage"));
        var page = await Html.ParseAsync(await officer.GetAsync("/triage"));
        var threatRow = page.QuerySelector($"tr[data-tip-id='{threat}']")!;
        Assert.Contains("Threat to life", threatRow.TextContent, StringComparison.Ordinal);
        Assert.Equal("50000", threatRow.QuerySelector("[data-score]")!.GetAttribute("data-score"));
        Assert.Contains("About a wanted person", page.QuerySelector($"tr[data-tip-id='{newer}']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Threat to life", page.QuerySelector($"tr[data-tip-id='{newer}']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("B2", page.QuerySelector($"tr[data-tip-id='{older}']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongQueue_PagesByCursor_EveryTipExactlyOnce_WithTiesInScoreAndHour()
    {
        using var factory = new AppFactory();
        var ids = new List<Guid>();
        for (var i = 0; i < (2 * IndexModel.PageSize) + 12; i++)
        {
            var hour = Hour.AddHours(-(i / 5));
            var score = i % 3 * 10;
            ids.Add(await TriageSetup.AddTipAsync(factory, "2014-90001", t =>
            {
                t.SubmittedAtUtc = hour;
                t.PriorityScore = i is 7 or 60 ? 100_000 : score;
            }));
        }

        var supervisor = await Officers.SignInFirstTimeAsync(factory, "pages@example.org", Roles.Supervisor);
        var listed = new List<Guid>();
        var path = "/triage";
        var pages = 0;
        while (true)
        {
            var page = await Html.ParseAsync(await supervisor.GetAsync(path));
            listed.AddRange(Rows(page));
            pages++;
            if (pages > 1)
            {
                Assert.Equal("/triage", page.QuerySelector("a[rel=first]")!.GetAttribute("href"));
            }

            var next = page.QuerySelector("a[rel=next]")?.GetAttribute("href");
            if (next is null)
            {
                break;
            }

            Assert.DoesNotContain("offset", next, StringComparison.OrdinalIgnoreCase);
            path = next;
        }

        Assert.Equal(3, pages);
        Assert.Equal(ids.Count, listed.Count);
        Assert.Equal(ids.Order(), listed.Order());
        Assert.Equal(new[] { ids[7], ids[60] }.Order(), listed.Take(2).Order());
        var expected = factory.Scoped(db => db.Tips.AsEnumerable()
            .OrderByDescending(t => t.PriorityScore)
            .ThenBy(t => t.SubmittedAtUtc)
            .ThenBy(t => t.Id.ToString("D").ToUpperInvariant(), StringComparer.Ordinal)
            .Select(t => t.Id)
            .ToList());
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task TheCursor_IsOpaque_AndADamagedOneIsAnErrorOnThePage()
    {
        var cursor = new QueueCursor(120, Hour, Guid.NewGuid());
        Assert.True(QueueCursor.TryParse(cursor.ToString(), out var back));
        Assert.Equal(cursor, back);
        Assert.DoesNotContain(cursor.Id.ToString("N"), cursor.ToString(), StringComparison.OrdinalIgnoreCase);

        using var factory = new AppFactory();
        var supervisor = await Officers.SignInFirstTimeAsync(factory, "cursor@example.org", Roles.Supervisor);
        var response = await supervisor.GetAsync("/triage?after=not-a-cursor");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("page link is damaged", (await Html.ParseAsync(response)).QuerySelector("#queue-errors")!.TextContent, StringComparison.Ordinal);
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
