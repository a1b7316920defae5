using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage.Notices;

/// <summary>The search name, the time of the last change, the status time and the revision are kept by the model, whoever saves.</summary>
public sealed class NoticeDerivedFieldsTests
{
    [Fact]
    public async Task EditingTheAliasesOnThePage_MakesThePublicSearchFindTheNewAlias_AtOnce()
    {
        using var app = new AppFactory();
        var supervisor = await NoticeDesk.SupervisorAsync(app, "aliases");
        var reference = await NoticeDesk.CreateAsync(supervisor, NoticeDesk.UniqueName("Crane"));
        await NoticeDesk.PublishAsync(supervisor, reference);
        var visitor = app.CreateClient();
        var alias = NoticeDesk.UniqueName("Nightjar");
        Assert.DoesNotContain($"/notices/{reference}", await (await visitor.GetAsync($"/notices?q={alias}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var form = await NoticeDesk.FormAsync(supervisor, reference, "notice-form");
        form["Input.Aliases"] = $"The Ferryman\n{alias} Ödegård";
        Assert.Equal(HttpStatusCode.Redirect, (await NoticeDesk.PostAsync(supervisor, reference, null, form)).StatusCode);

        Assert.Contains($"/notices/{reference}", await (await visitor.GetAsync($"/notices?q={alias}+odegard")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingOnlyAWarrant_MovesTheRevisionAndTheTimeOfChange_ButNotTheStatusTime()
    {
        var clock = new TestClock();
        using var app = new AppFactory { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var before = await app.ScopedAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Reference == "2014-90004"));

        clock.Advance(TimeSpan.FromHours(2));
        await app.ScopedAsync(async db =>
        {
            var warrant = await db.Notices.Where(n => n.Reference == "2014-90004").SelectMany(n => n.Warrants).FirstAsync();
            warrant.ChargeTranslation = "Illegal logging in a protected forest reserve";
            return await db.SaveChangesAsync();
        });

        var after = await app.ScopedAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Reference == "2014-90004"));
        Assert.Equal(before.Revision + 1, after.Revision);
        Assert.True(after.UpdatedAtUtc >= before.UpdatedAtUtc.AddHours(1), $"{before.UpdatedAtUtc:o} → {after.UpdatedAtUtc:o}");
        Assert.Equal(before.StatusChangedAtUtc, after.StatusChangedAtUtc);

        clock.Advance(TimeSpan.FromHours(1));
        await app.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90004");
            notice.Status = NoticeStatus.Located;
            return await db.SaveChangesAsync();
        });
        var located = await app.ScopedAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Reference == "2014-90004"));
        Assert.Equal(after.Revision + 1, located.Revision);
        Assert.True(located.StatusChangedAtUtc > after.UpdatedAtUtc);
    }

    [Fact]
    public async Task ChangingOnlyTheOperations_MovesTheRevision_SoAnOlderFormCannotUndoIt()
    {
        using var app = new AppFactory();
        var before = await app.ScopedAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Reference == "2014-90005"));

        await app.ScopedAsync(async db =>
        {
            var notice = await db.Notices.Include(n => n.Operations).SingleAsync(n => n.Reference == "2014-90005");
            notice.Operations.Clear();
            return await db.SaveChangesAsync();
        });

        var after = await app.ScopedAsync(db => db.Notices.AsNoTracking().Include(n => n.Operations).SingleAsync(n => n.Reference == "2014-90005"));
        Assert.Empty(after.Operations);
        Assert.Equal(before.Revision + 1, after.Revision);

        // A save made on the revision read before the operations changed is refused.
        var stale = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => app.ScopedAsync(async db =>
        {
            var notice = await db.Notices.SingleAsync(n => n.Reference == "2014-90005");
            db.Entry(notice).Property(n => n.Revision).OriginalValue = before.Revision;
            notice.Summary += " (edited on an older form)";
            return await db.SaveChangesAsync();
        }));
        Assert.NotNull(stale);
    }
}
