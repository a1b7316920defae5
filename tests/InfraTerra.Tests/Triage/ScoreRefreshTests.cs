using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Features.Triage;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>One app on a clock the tests move: tips are made in the past, then the clock comes back to now.</summary>
public sealed class ClockedApp : AppFactory
{
    public ClockedApp() => ExtraServices = s => s.AddSingleton<TimeProvider>(Clock);

    public TestClock Clock { get; } = new();

    /// <summary>A tip about 2014-90002 (ZA desk) made <paramref name="daysAgo"/> days ago, sighted that day, with an exact date.</summary>
    public async Task<Guid> TipMadeDaysAgoAsync(int daysAgo)
    {
        Clock.Advance(TimeSpan.FromDays(-daysAgo));
        try
        {
            TipNotice? notice;
            await using (var scope = Services.CreateAsyncScope())
            {
                notice = await scope.ServiceProvider.GetRequiredService<TipNotices>().FindAsync(TipViewApp.NoticeReference, CancellationToken.None);
            }

            var sighted = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
            var receipt = await this.WithStoreAsync(store => store.CreateAsync(
                new TipStore.NewTip(notice, "ZA", sighted, new TipContent("Seen at the quay.", null)), TipStore.NewFormKey(), [], CancellationToken.None));
            return (await this.WithStoreAsync(store => store.FindByReceiptAsync(receipt, CancellationToken.None))).TipId!.Value;
        }
        finally
        {
            Clock.Advance(TimeSpan.FromDays(daysAgo));
        }
    }

    public Task<Priority> ScoreAsync(Guid tip) =>
        ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => new Priority(t.PriorityScore, t.PriorityReasons)).SingleAsync());
}

public sealed class ScoreRefreshTests(ClockedApp app) : IClassFixture<ClockedApp>
{
    [Fact]
    public async Task DailyJob_TakesRecentSightingOffATipOnceItAgesOut_AndLeavesTheRestAlone()
    {
        var aging = await app.TipMadeDaysAgoAsync(TipPriority.RecentSightingDays + 1);
        var fresh = await app.TipMadeDaysAgoAsync(1);
        var wasAging = await app.ScoreAsync(aging);
        var wasFresh = await app.ScoreAsync(fresh);
        Assert.True(wasAging.Reasons.HasFlag(PriorityReasons.RecentSighting));

        var changed = await app.Services.GetRequiredService<ScoreRefreshJob>().RunOnceAsync(CancellationToken.None);

        Assert.True(changed >= 1);
        var aged = await app.ScoreAsync(aging);
        Assert.False(aged.Reasons.HasFlag(PriorityReasons.RecentSighting));
        Assert.Equal(wasAging.Score - TipPriority.RecentSightingWeight, aged.Score);
        Assert.Equal(wasFresh, await app.ScoreAsync(fresh));
        Assert.Equal(0, await app.Services.GetRequiredService<ScoreRefreshJob>().RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TipView_ShowsAcknowledgeOverdue_AfterSevenDays_AndDueSoonTwoDaysBefore()
    {
        var overdue = await app.TipMadeDaysAgoAsync(8);
        var dueSoon = await app.TipMadeDaysAgoAsync(6);
        var officer = await Officers.SignInFirstTimeAsync(app, $"clocked-{Guid.NewGuid():N}@example.org", Roles.Supervisor);

        var late = await Html.ParseAsync(await officer.GetAsync($"/triage/tips/{overdue}"));
        var soon = await Html.ParseAsync(await officer.GetAsync($"/triage/tips/{dueSoon}"));

        Assert.Equal("Overdue", late.QuerySelector("#deadline-acknowledge-state")!.TextContent);
        Assert.Contains("deadline-overdue", late.QuerySelector("#deadline-acknowledge-state")!.ClassList);
        Assert.Equal("On time", late.QuerySelector("#deadline-feedback-state")!.TextContent);
        Assert.Equal("Due soon", soon.QuerySelector("#deadline-acknowledge-state")!.TextContent);
    }

    [Fact]
    public async Task RescoreTipsCommand_PutsBackScoresThatAreWrong_AndSaysHowManyChanged()
    {
        var tip = await app.TipMadeDaysAgoAsync(0);
        var right = await app.ScoreAsync(tip);

        // Other tests of this app leave tips whose sighting aged out: settle those first.
        await OperatorCommands.RunAsync(app.Services, ["rescore-tips"], TextWriter.Null);
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).ExecuteUpdateAsync(s => s.SetProperty(t => t.PriorityScore, -5).SetProperty(t => t.PriorityReasons, PriorityReasons.None)));

        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(app.Services, ["rescore-tips"], output);

        Assert.Equal(0, exit);
        Assert.Contains("1 score(s) changed", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(right, await app.ScoreAsync(tip));
    }

    [Fact]
    public async Task Recompute_OverMoreTipsThanABatch_FixesEveryOne_AndWritesOnlyThoseThatChanged()
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var marker = Guid.NewGuid().ToString("N")[..8];
        var ids = await app.ScopedAsync(async db =>
        {
            var tips = Enumerable.Range(0, 2500).Select(i => BareTip(now, i % 2 == 0 ? PriorityReasons.None : PriorityReasons.AboutWantedNotice, marker)).ToList();
            db.Tips.AddRange(tips);
            await db.SaveChangesAsync();
            return tips.Select(t => t.Id).ToList();
        });

        var changed = await app.ScopedAsync(db => TipScores.RecomputeAsync(db, db.Tips.Where(t => t.MasterKeyId == marker), now, CancellationToken.None));

        Assert.Equal(1250, changed);
        var stored = await app.ScopedAsync(db => db.Tips.Where(t => t.MasterKeyId == marker).Select(t => new { t.PriorityScore, t.PriorityReasons }).ToListAsync());
        Assert.Equal(2500, stored.Count);
        Assert.All(stored, s => Assert.Equal((TipPriority.ThreatReportedWeight, PriorityReasons.ThreatToLifeReported), (s.PriorityScore, s.PriorityReasons)));
        Assert.Equal(2500, ids.Distinct().Count());
    }

    [Fact]
    public async Task RecomputeForNotice_AfterAnArrest_TakesTheWantedReasonOffItsTips()
    {
        var tip = await app.TipMadeDaysAgoAsync(30);
        Assert.True((await app.ScoreAsync(tip)).Reasons.HasFlag(PriorityReasons.AboutWantedNotice));
        var noticeId = await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).Select(t => t.NoticeId!.Value).SingleAsync());
        await app.ScopedAsync(db => db.Notices.Where(n => n.Id == noticeId).ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NoticeStatus.Arrested)));
        try
        {
            var changed = await app.ScopedAsync(db => TipScores.RecomputeForNoticeAsync(db, noticeId, app.Clock.GetUtcNow().UtcDateTime, CancellationToken.None));

            Assert.True(changed >= 1);
            Assert.False((await app.ScoreAsync(tip)).Reasons.HasFlag(PriorityReasons.AboutWantedNotice));
        }
        finally
        {
            await app.ScopedAsync(db => db.Notices.Where(n => n.Id == noticeId).ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NoticeStatus.Wanted)));
            await app.ScopedAsync(db => TipScores.RecomputeForNoticeAsync(db, noticeId, app.Clock.GetUtcNow().UtcDateTime, CancellationToken.None));
        }
    }

    private static Tip BareTip(DateTime now, PriorityReasons wrongReasons, string marker)
    {
        var id = Guid.NewGuid();
        return new Tip
        {
            Id = id,
            SubmittedAtUtc = now,
            ThreatToLife = ThreatToLife.ReportedByTipster,
            PriorityScore = wrongReasons == PriorityReasons.None ? TipPriority.ThreatReportedWeight : 7,
            PriorityReasons = wrongReasons == PriorityReasons.None ? PriorityReasons.ThreatToLifeReported : wrongReasons,
            SealedContent = [0],
            WrappedDataKey = [0],
            MasterKeyId = marker,
            ReceiptLookupHash = id.ToByteArray(),
            IdempotencyKeyHash = id.ToByteArray(),
            ReplayReceipt = [0],
        };
    }
}

public sealed class ScoreSettingsTests
{
    [Theory]
    [InlineData("Deadlines:AcknowledgeDays", "0", "Deadlines:AcknowledgeDays must be")]
    [InlineData("Deadlines:DueSoonDays", "7", "Deadlines:DueSoonDays must be")]
    [InlineData("Jobs:ScoreRefreshHour", "24", "Jobs:ScoreRefreshHour must be")]
    public void ABadSetting_StopsTheAppAtStartUp_NamingTheKey(string key, string value, string message)
    {
        using var factory = new AppFactory(new() { [key] = value });

        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-02T01:00:00Z", 3, "2026-12-01T03:00:00Z")]
    [InlineData("2026-12-02T03:00:00Z", 3, "2026-12-02T03:00:00Z")]
    [InlineData("2026-12-02T23:30:00Z", 3, "2026-12-02T03:00:00Z")]
    [InlineData("2026-12-02T00:00:00Z", 0, "2026-12-02T00:00:00Z")]
    public void TheDailyRun_IsDueWhenItLastCompletedBeforeTheLatestConfiguredHour(string now, int hour, string slot)
    {
        static DateTime Utc(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

        Assert.Equal(Utc(slot), new JobSchedule.Daily(hour).DueIfCompletedBefore(Utc(now), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void PriorityText_DescribesEveryReason_StrongestFirst()
    {
        var all = Enum.GetValues<PriorityReasons>().Where(r => r != PriorityReasons.None).Aggregate((a, b) => a | b);

        var labels = PriorityText.Describe(all);

        Assert.Equal(Enum.GetValues<PriorityReasons>().Length - 1, labels.Count);
        Assert.Equal("Threat to life (confirmed)", labels[0]);
        Assert.Empty(PriorityText.Describe(PriorityReasons.None));
        Assert.Equal(["About a wanted person", "Caution on the notice"], PriorityText.Describe(PriorityReasons.NoticeCaution | PriorityReasons.AboutWantedNotice));
    }
}
