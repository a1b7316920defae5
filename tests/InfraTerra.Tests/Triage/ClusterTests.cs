using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>Similar tips on the tip view, linking and unlinking, Duplicate with "duplicate of", and the cluster's timeline.</summary>
public sealed class ClusterTests(TipViewApp app) : IClassFixture<TipViewApp>, IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 28);

    private const string CafeText = "Saw him drinking coffee at the Café du Port with two men, wearing a blue jacket.";
    private const string CafePlace = "Café du Port, quai 3, Durban";

    // Each test starts from an empty tip store: candidates are every tip about the notice.
    public Task InitializeAsync() => app.ForgetTipsAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TipView_ListsANearDuplicate_WithItsReasons_NotAnUnrelatedTip_AndAuditsEachTipShown()
    {
        var tip = await TipAsync(CafeText, CafePlace, Day, "ZA");
        var duplicate = await TipAsync("saw him at cafe du port drinking coffee with 2 men in a blue jacket", "Cafe du Port quai 3 Durban", Day, "ZA");
        var unrelated = await TipAsync("Heard that he bought a red truck from a dealer last spring.", "Sandton car market", Day.AddDays(-40), "KE");

        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));

        var row = page.QuerySelector($"#similar-{duplicate:N}");
        Assert.NotNull(row);
        var reasons = row.QuerySelector(".similar-reasons")!.TextContent;
        Assert.Contains("same day", reasons, StringComparison.Ordinal);
        Assert.Contains("same country", reasons, StringComparison.Ordinal);
        Assert.Contains("same place", reasons, StringComparison.Ordinal);
        Assert.Contains("similar text", reasons, StringComparison.Ordinal);
        Assert.Contains("Cafe du Port quai 3 Durban", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector($"a[href='/triage/tips/{duplicate}']"));
        Assert.NotNull(row.QuerySelector("form.link-form"));
        Assert.Null(page.QuerySelector($"#similar-{unrelated:N}"));

        Guid?[] ofThisTest = [tip, duplicate, unrelated];
        var shown = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == AuditActions.ShownAsSimilar && ofThisTest.Contains(r.TipId)).ToListAsync());
        var record = Assert.Single(shown);
        Assert.Equal(duplicate, record.TipId);
        Assert.Equal(TipViewApp.ZaEmail, record.ActorName);
        Assert.Contains(tip.ToString("N"), record.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Cafe", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TipView_NeverListsATipOfAnotherDesk()
    {
        var tip = await TipAsync(CafeText, CafePlace, Day, "ZA");
        var elsewhere = await TipAsync(CafeText, CafePlace, Day, "ZA");
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == elsewhere).ExecuteUpdateAsync(s => s.SetProperty(t => t.Desk, "KE")));

        var za = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        var ke = await Html.ParseAsync(await app.KeOfficer.GetAsync($"/triage/tips/{elsewhere}"));

        Assert.Empty(za.QuerySelectorAll("#similar-tips tr.similar-tip"));
        Assert.NotNull(za.QuerySelector("#no-similar"));
        Assert.Empty(ke.QuerySelectorAll("#similar-tips tr.similar-tip"));
        Assert.False(await app.ScopedAsync(db => db.AuditRecords.AnyAsync(r => r.Action == AuditActions.ShownAsSimilar && (r.TipId == tip || r.TipId == elsewhere))));
    }

    [Fact]
    public async Task Link_MakesAClusterOfTwo_AndAClusterOfFiveRaisesEveryMembersScore()
    {
        var tips = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            tips.Add(await TipAsync(CafeText, CafePlace, Day, "ZA"));
        }

        Assert.Equal(HttpStatusCode.Redirect, (await LinkAsync(tips[1], tips[0])).StatusCode);

        var cluster = await ClusterOfAsync(tips[0]);
        Assert.Equal(cluster, await ClusterOfAsync(tips[1]));
        Assert.Equal(2, await CountOfAsync(cluster));
        Assert.Equal(1, await RevisionOfAsync(tips[0]));
        Assert.Equal(1, await RevisionOfAsync(tips[1]));
        var before = await ScoreOfAsync(tips[0]);
        Assert.False(before.Reasons.HasFlag(PriorityReasons.LargeCluster));

        foreach (var tip in tips.Skip(2))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await LinkAsync(tip, tips[0])).StatusCode);
        }

        Assert.Equal(5, await CountOfAsync(cluster));
        foreach (var tip in tips)
        {
            Assert.Equal(cluster, await ClusterOfAsync(tip));
            var after = await ScoreOfAsync(tip);
            Assert.True(after.Reasons.HasFlag(PriorityReasons.LargeCluster), $"tip {tip}");
            Assert.True(after.Score > before.Score, $"tip {tip}: {after.Score} <= {before.Score}");
        }

        var ofThisTest = tips.Select(t => (Guid?)t).ToList();
        var linked = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == AuditActions.Linked && ofThisTest.Contains(r.TipId)).Select(r => r.TipId).ToListAsync());

        // The first link changed both tips; each later one only the tip that joined.
        Assert.Equal(5, linked.Count);
        Assert.All(tips, t => Assert.Contains(t, linked));
    }

    [Fact]
    public async Task Unlink_DecrementsTheCount_AndTheLastTipOutDeletesTheCluster()
    {
        var first = await TipAsync(CafeText, CafePlace, Day, "ZA");
        var second = await TipAsync(CafeText, CafePlace, Day, "ZA");
        Assert.Equal(HttpStatusCode.Redirect, (await LinkAsync(second, first)).StatusCode);
        var cluster = await ClusterOfAsync(first);

        Assert.Equal(HttpStatusCode.Redirect, (await UnlinkAsync(second)).StatusCode);
        Assert.Null(await ClusterOfAsync(second));
        Assert.Equal(1, await CountOfAsync(cluster));

        Assert.Equal(HttpStatusCode.Redirect, (await UnlinkAsync(first)).StatusCode);
        Assert.Null(await ClusterOfAsync(first));
        Assert.False(await app.ScopedAsync(db => db.TipClusters.AnyAsync(c => c.Id == cluster)));
        Assert.Equal(2, await app.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.Unlinked && (r.TipId == first || r.TipId == second))));
    }

    [Fact]
    public async Task Link_OnAnOlderViewOfTheTip_IsRefused_AndNothingIsLinked()
    {
        var tip = await TipAsync(CafeText, CafePlace, Day, "ZA");
        var other = await TipAsync(CafeText, CafePlace, Day, "ZA");
        var clusters = await app.ScopedAsync(db => db.TipClusters.CountAsync());
        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        var link = Html.FormFields(page, $"#similar-{other:N} form");
        var claim = Html.FormFields(page, "#decide-claim");
        Assert.Equal(HttpStatusCode.Redirect, (await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=Claim", new FormUrlEncodedContent(claim))).StatusCode);

        var response = await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=Link", new FormUrlEncodedContent(link));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Null(await ClusterOfAsync(tip));
        Assert.Null(await ClusterOfAsync(other));
        Assert.Equal(clusters, await app.ScopedAsync(db => db.TipClusters.CountAsync()));
    }

    [Fact]
    public async Task MarkingDuplicate_NeedsTheTipItDuplicates_AndLinksItToThatTipsCluster()
    {
        var original = await TipAsync(CafeText, CafePlace, Day, "ZA");
        var tip = await TipAsync(CafeText, CafePlace, Day, "ZA");
        var hidden = await TipAsync(CafeText, CafePlace, Day, "ZA");
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == hidden).ExecuteUpdateAsync(s => s.SetProperty(t => t.Desk, "KE")));

        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        Assert.NotNull(page.QuerySelector($"#decide-duplicate-of option[value='{original}']"));
        Assert.Null(page.QuerySelector($"#decide-duplicate-of option[value='{hidden}']"));
        var form = Html.FormFields(page, "#decide-status");
        form["Input.Status"] = "Duplicate";
        form["Input.Reason"] = "Same sighting at the café.";

        form["Input.DuplicateOf"] = "";
        var missing = await PostStatusAsync(tip, form);
        Assert.Contains("Please choose the tip this one duplicates", ErrorOf(missing), StringComparison.Ordinal);

        form["Input.DuplicateOf"] = hidden.ToString();
        var notVisible = await PostStatusAsync(tip, form);
        Assert.Contains("not found, or is not one you may see", ErrorOf(notVisible), StringComparison.Ordinal);
        Assert.Equal(TipStatus.New, await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.Status).SingleAsync()));

        form["Input.DuplicateOf"] = $"https://infraterra.example/triage/tips/{original}";
        var response = await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=Status", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(TipStatus.Duplicate, await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.Status).SingleAsync()));
        var cluster = await ClusterOfAsync(tip);
        Assert.NotNull(cluster);
        Assert.Equal(cluster, await ClusterOfAsync(original));
        Assert.Equal(2, await CountOfAsync(cluster));
        Assert.Null(await ClusterOfAsync(hidden));
        Assert.True(await app.ScopedAsync(db => db.AuditRecords.AnyAsync(r => r.TipId == tip && r.Action == AuditActions.StatusChanged)));
        Assert.True(await app.ScopedAsync(db => db.AuditRecords.AnyAsync(r => r.TipId == original && r.Action == AuditActions.Linked)));
    }

    [Fact]
    public async Task ClusterView_ListsPlacesBySightingDate_OnlyTipsTheOfficerMaySee_AndIs404ForAnotherDesk()
    {
        var late = await TipAsync(CafeText, "Late: the harbour gate", Day, "ZA");
        var early = await TipAsync(CafeText, "Early: the fish market", Day.AddDays(-5), "ZA");
        var undated = await TipAsync(CafeText, "Undated: the bus depot", null, "ZA");
        var otherDesk = await TipAsync(CafeText, "Kenyan desk: Mombasa road", Day.AddDays(-9), "KE");
        Assert.Equal(HttpStatusCode.Redirect, (await LinkAsync(early, late)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await LinkAsync(undated, late)).StatusCode);
        var cluster = (await ClusterOfAsync(late))!.Value;
        await app.ScopedAsync(async db =>
        {
            await db.Tips.Where(t => t.Id == otherDesk).ExecuteUpdateAsync(s => s.SetProperty(t => t.Desk, "KE").SetProperty(t => t.ClusterId, cluster));
            return await db.TipClusters.Where(c => c.Id == cluster).ExecuteUpdateAsync(s => s.SetProperty(c => c.TipCount, 4));
        });

        var response = await app.ZaOfficer.GetAsync($"/triage/clusters/{cluster}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var places = page.QuerySelectorAll("#cluster-sightings .sighting-place").Select(p => p.TextContent).ToList();
        Assert.Equal(["Early: the fish market", "Late: the harbour gate", "Undated: the bus depot"], places);
        Assert.StartsWith("3 tips", page.QuerySelector("#cluster-count")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Mombasa", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"#sighting-{early:N} a[href='/triage/tips/{early}']"));
        Assert.Contains("MARLOWE-ASHBY", page.QuerySelector("#cluster-notice")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#cluster-notice-photo"));
        var listed = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == AuditActions.ListedInCluster && r.Detail == $"cluster {cluster:N}").Select(r => r.TipId).ToListAsync());
        Assert.Equal(3, listed.Count);
        Assert.DoesNotContain(otherDesk, listed);

        var kenyan = await app.KeOfficer.GetAsync($"/triage/clusters/{cluster}");
        Assert.Equal(HttpStatusCode.OK, kenyan.StatusCode);
        Assert.StartsWith("1 tip", (await Html.ParseAsync(kenyan)).QuerySelector("#cluster-count")!.TextContent, StringComparison.Ordinal);

        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == otherDesk).ExecuteUpdateAsync(s => s.SetProperty(t => t.ClusterId, (Guid?)null)));
        Assert.Equal(HttpStatusCode.NotFound, (await app.KeOfficer.GetAsync($"/triage/clusters/{cluster}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ZaOfficer.GetAsync($"/triage/clusters/{Guid.NewGuid()}")).StatusCode);
    }

    private static string ErrorOf(IDocument page) => page.QuerySelector("#decision-error")?.TextContent ?? "(no error shown)";

    private async Task<IDocument> PostStatusAsync(Guid tip, Dictionary<string, string> form) =>
        await Html.ParseAsync(await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=Status", new FormUrlEncodedContent(form)));

    /// <summary>Links <paramref name="tip"/> to <paramref name="other"/> as the ZA officer would: with the revision of the tip view just opened.</summary>
    private async Task<HttpResponseMessage> LinkAsync(Guid tip, Guid other)
    {
        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        var fields = Html.FormFields(page, "#decide-claim");
        fields["Input.OtherTip"] = other.ToString();
        return await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=Link", new FormUrlEncodedContent(fields));
    }

    private async Task<HttpResponseMessage> UnlinkAsync(Guid tip)
    {
        var page = await Html.ParseAsync(await app.ZaOfficer.GetAsync($"/triage/tips/{tip}"));
        return await app.ZaOfficer.PostAsync($"/triage/tips/{tip}/decide?handler=Unlink", new FormUrlEncodedContent(Html.FormFields(page, "#decide-unlink")));
    }

    private Task<Guid?> ClusterOfAsync(Guid tip) => app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.ClusterId).SingleAsync());

    private Task<int> CountOfAsync(Guid? cluster) => app.ScopedAsync(db => db.TipClusters.Where(c => c.Id == cluster).Select(c => c.TipCount).SingleAsync());

    private Task<int> RevisionOfAsync(Guid tip) => app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.Revision).SingleAsync());

    private Task<Priority> ScoreOfAsync(Guid tip) =>
        app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => new Priority(t.PriorityScore, t.PriorityReasons)).SingleAsync());

    /// <summary>A tip about notice 2014-90002 (ZA desk), stored by the app's tip store with what the tipster wrote.</summary>
    private async Task<Guid> TipAsync(string description, string? place, DateOnly? sightedOn, string? country)
    {
        TipNotice? notice;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            notice = await scope.ServiceProvider.GetRequiredService<TipNotices>().FindAsync(TipViewApp.NoticeReference, CancellationToken.None);
        }

        var receipt = await app.WithStoreAsync(store => store.CreateAsync(
            new TipStore.NewTip(notice, country, sightedOn, new TipContent(description, place)), TipStore.NewFormKey(), [], CancellationToken.None));
        return (await app.WithStoreAsync(store => store.FindByReceiptAsync(receipt, CancellationToken.None))).TipId!.Value;
    }
}
