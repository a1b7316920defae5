using System.Buffers.Binary;
using System.Globalization;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage;
using InfraTerra.Web.Features.Triage.Retention;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage.Retention;

public sealed class RetentionTests(RetentionApp app) : IClassFixture<RetentionApp>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AcrossTime_HoldersAreWarnedAt28_14_7_3And1DaysOnceEach_ThenTheTipIsDeletedOnDay90_UnlessHeldOrReopened()
    {
        var unheld = await app.CreateTipAsync("Nobody holds this one.");
        var claimed = await app.CreateTipAsync("An officer holds this one.");
        var held = await app.CreateTipAsync("A Supervisor keeps this one.");
        var reopened = await app.CreateTipAsync("This one is looked at again.");
        await app.DecideAsync(claimed, app.ZaOfficer, (d, revision, officer) => d.ClaimAsync(claimed, revision, officer, None));
        foreach (var tip in new[] { unheld, claimed, held, reopened })
        {
            await app.SetStatusAsync(tip, TipStatus.NotActionable);
        }

        var closedOn = app.Clock.GetUtcNow().UtcDateTime;
        await HoldAsync(held, true);
        var job = app.Services.GetRequiredService<RetentionJob>();
        var warnedOn = new Dictionary<Guid, List<int>> { [unheld] = [], [claimed] = [], [held] = [], [reopened] = [] };
        var seen = warnedOn.Keys.ToDictionary(t => t, _ => 0);

        for (var day = 1; day <= 90; day++)
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            if (day == 70)
            {
                // Reopened after its first warning: the warnings stop.
                await app.SetStatusAsync(reopened, TipStatus.InReview);
            }

            if (day == 90)
            {
                // The day before deletion: each holder was told five times, in the app and by e-mail.
                Assert.Equal([app.Supervisor.Id], (await WarnedAsync(unheld)).Distinct());
                Assert.Equal([app.ZaOfficer.Id], (await WarnedAsync(claimed)).Distinct());
                Assert.Equal(5, await MailsAsync(unheld, app.Supervisor.Email));
                Assert.Equal(5, await MailsAsync(claimed, app.ZaOfficer.Email));
                Assert.Equal(0, await MailsAsync(claimed, app.Supervisor.Email));
            }

            await job.RunOnceAsync(None);
            foreach (var tip in warnedOn.Keys)
            {
                var count = (await WarnedAsync(tip)).Count;
                if (count > seen[tip])
                {
                    Assert.Equal(seen[tip] + 1, count);
                    warnedOn[tip].Add(day);
                    seen[tip] = count;
                }
            }
        }

        Assert.Equal([62, 76, 83, 87, 89], warnedOn[unheld]);
        Assert.Equal([62, 76, 83, 87, 89], warnedOn[claimed]);
        Assert.Empty(warnedOn[held]);
        Assert.Equal([62], warnedOn[reopened]);

        Assert.False(await app.ExistsAsync(unheld));
        Assert.False(await app.ExistsAsync(claimed));
        Assert.Equal(0, await app.ChildRowsAsync(unheld));
        Assert.True(await app.ExistsAsync(held));
        Assert.True(await app.ExistsAsync(reopened));
        var purged = await PurgeRecordAsync(unheld);
        Assert.Equal(RetentionJob.Actor.Name, purged.ActorName);
        Assert.Equal($"Not actionable since {closedOn:yyyy-MM-dd}, expired after 90 days; 0 attachments, 0 messages, 1 note", purged.Detail);

        // Released, the held tip goes at the next run; the reopened one, closed again, starts a new year.
        await HoldAsync(held, false);
        var closingAgain = app.Clock.GetUtcNow().UtcDateTime;
        await app.SetStatusAsync(reopened, TipStatus.Closed);
        var closedAgain = app.Clock.GetUtcNow().UtcDateTime;
        app.Clock.Advance(TimeSpan.FromDays(1));
        await job.RunOnceAsync(None);
        Assert.False(await app.ExistsAsync(held));
        Assert.True(await app.ExistsAsync(reopened));
        Assert.InRange(await app.ScopedAsync(db => db.Tips.Where(t => t.Id == reopened).Select(t => t.StatusChangedAtUtc).SingleAsync()), closingAgain, closedAgain);

        // The new year's warnings count from the new closing: the first comes 28 days before it ends, then it goes.
        app.Clock.Advance(TimeSpan.FromDays(365 - 28 - 1));
        await job.RunOnceAsync(None);
        Assert.Equal(seen[reopened] + 1, (await WarnedAsync(reopened)).Count);
        Assert.True(await app.ExistsAsync(reopened));
        app.Clock.Advance(TimeSpan.FromDays(29));
        await job.RunOnceAsync(None);
        Assert.False(await app.ExistsAsync(reopened));
    }

    [Fact]
    public async Task PurgeExpired_DryRun_PrintsCountsPerStatus_AndChangesNothing_ThenTheRealRunDeletesThem()
    {
        await app.ForgetTipsAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var expired = new List<Guid>
        {
            await TipAsync(TipStatus.NotActionable, now.AddDays(-91)),
            await TipAsync(TipStatus.NotActionable, now.AddDays(-200)),
            await TipAsync(TipStatus.Duplicate, now.AddDays(-91)),
            await TipAsync(TipStatus.Closed, now.AddDays(-366)),
        };
        var kept = new List<Guid>
        {
            await TipAsync(TipStatus.Closed, now.AddDays(-300)),
            await TipAsync(TipStatus.New, now.AddDays(-1000)),
            await TipAsync(TipStatus.Forwarded, now.AddDays(-1000)),
            await TipAsync(TipStatus.NotActionable, now.AddDays(-89)),
            await TipAsync(TipStatus.NotActionable, now.AddDays(-500), t => t.RetentionHeldAtUtc = now.AddDays(-400)),
        };
        var auditBefore = await app.ScopedAsync(db => db.AuditRecords.CountAsync());

        var dry = new StringWriter();
        Assert.Equal(0, await OperatorCommands.RunAsync(app.Services, ["purge-expired", "--dry-run"], dry));

        var text = dry.ToString();
        Assert.Contains("Dry run: nothing was deleted.", text, StringComparison.Ordinal);
        Assert.Matches(@"Not actionable\s+2\s", text);
        Assert.Matches(@"Duplicate\s+1\s", text);
        Assert.Matches(@"Closed\s+1\s", text);
        Assert.Matches(@"Total\s+4", text);
        Assert.Equal(9, await app.ScopedAsync(db => db.Tips.CountAsync()));
        Assert.Equal(auditBefore, await app.ScopedAsync(db => db.AuditRecords.CountAsync()));

        var real = new StringWriter();
        Assert.Equal(0, await OperatorCommands.RunAsync(app.Services, ["purge-expired"], real));

        Assert.Matches(@"Total\s+4", real.ToString());
        Assert.Equal(kept.Order(), await app.ScopedAsync(db => db.Tips.Select(t => t.Id).OrderBy(t => t).ToListAsync()));
        var records = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.Sequence > auditBefore).OrderBy(r => r.Sequence).ToListAsync());
        Assert.Equal(expired.Order(), records.Where(r => r.Action == AuditActions.Purged).Select(r => r.TipId!.Value).Order());
        var summary = Assert.Single(records, r => r.Action == AuditActions.PurgeRun);
        Assert.Equal("4 tips deleted (Not actionable 2, Duplicate 1, Closed 1)", summary.Detail);
        Assert.Equal(AuditActor.CommandLine.Name, summary.ActorName);
    }

    [Fact]
    public async Task Purge_StoppedBetweenBatches_LeavesEveryTipWholeOrGone_ClustersCounted_AndTheNextRunFinishes()
    {
        await app.ForgetTipsAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var tips = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var tip = await app.CreateTipAsync($"Tip number {i}", app.File(TestFiles.Png()));
            await app.AddMessageAndNoteAsync(tip, $"More about tip {i}", app.File(TestFiles.Jpeg()));
            tips.Add(tip);
        }

        // Five expired, oldest first; the sixth, still open, shares a cluster with the first three.
        var cluster = Guid.NewGuid();
        var noticeId = await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tips[0]).Select(t => t.NoticeId).SingleAsync());
        await app.ScopedAsync(async db =>
        {
            db.TipClusters.Add(new TipCluster { Id = cluster, NoticeId = noticeId, TipCount = 4, CreatedById = app.Supervisor.Id, CreatedAtUtc = now });
            db.TipOutcomes.Add(new TipOutcome
            {
                Id = Guid.NewGuid(),
                TipId = tips[0],
                ClusterId = cluster,
                NoticeId = noticeId,
                Kind = OutcomeKind.LocationConfirmed,
                OccurredOn = new DateOnly(2026, 11, 29),
                RecordedById = app.Supervisor.Id,
                RecordedAtUtc = now,
            });
            return await db.SaveChangesAsync();
        });
        for (var i = 0; i < 6; i++)
        {
            var id = tips[i];
            var status = i < 5 ? TipStatus.NotActionable : TipStatus.InReview;
            var changed = now.AddDays(-105 + i);
            Guid? inCluster = i is 0 or 1 or 2 or 5 ? cluster : null;
            await app.ScopedAsync(db => db.Tips.Where(t => t.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, status).SetProperty(t => t.StatusChangedAtUtc, changed).SetProperty(t => t.ClusterId, inCluster)));
        }

        await RescoreAsync();
        var whole = new Dictionary<Guid, int>();
        foreach (var tip in tips)
        {
            whole[tip] = await app.ChildRowsAsync(tip);
            Assert.True(whole[tip] >= 4, $"tip {tip} has {whole[tip]} rows");
        }

        var first = await app.PurgeAsync(maxBatches: 1);

        Assert.False(first.Finished);
        Assert.Equal(2, first.Total);
        await AssertWholeOrGoneAsync(tips, whole);
        Assert.False(await app.ExistsAsync(tips[0]));
        Assert.False(await app.ExistsAsync(tips[1]));
        Assert.Equal(2, await ClusterCountAsync(cluster));
        Assert.Equal(0, await RescoreAsync());
        var outcome = await app.ScopedAsync(db => db.TipOutcomes.SingleAsync(o => o.ClusterId == cluster));
        Assert.Null(outcome.TipId);

        var second = await app.PurgeAsync();

        Assert.True(second.Finished);
        Assert.Equal(3, second.Total);
        Assert.True(second.WalTruncated);
        await AssertWholeOrGoneAsync(tips, whole);
        Assert.Equal([tips[5]], await app.ScopedAsync(db => db.Tips.Select(t => t.Id).ToListAsync()));
        Assert.Equal(1, await ClusterCountAsync(cluster));
        Assert.Equal(0, await RescoreAsync());
        var detail = await app.ScopedAsync(db => db.AuditRecords.Where(r => r.TipId == tips[4] && r.Action == AuditActions.Purged).Select(r => r.Detail).SingleAsync());
        Assert.EndsWith("expired after 90 days; 2 attachments, 1 message, 1 note", detail);
    }

    [Fact]
    public async Task PurgedTip_LeavesNoneOfItsSealedBytes_InTheSqliteFileOrItsWal()
    {
        var tip = await app.CreateTipAsync("A very distinctive tip about the harbour master.", app.File(TestFiles.Jpeg(640, 480)));
        await app.AddMessageAndNoteAsync(tip, "The harbour master leaves at dawn.", app.File(TestFiles.Png()));
        var secrets = await app.ScopedAsync(async db =>
        {
            var row = await db.Tips.AsNoTracking().SingleAsync(t => t.Id == tip);
            var found = new Dictionary<string, byte[]>
            {
                ["sealed content"] = row.SealedContent,
                ["wrapped data key"] = row.WrappedDataKey,
                ["receipt lookup hash"] = row.ReceiptLookupHash,
                ["replay receipt"] = row.ReplayReceipt,
            };
            foreach (var file in await db.TipAttachments.AsNoTracking().Where(a => a.TipId == tip).ToListAsync())
            {
                found[$"file {file.Position}"] = file.SealedContent;
                found[$"file {file.Position} fingerprint"] = file.SealedOriginalHash;
            }

            foreach (var message in await db.TipMessages.AsNoTracking().Where(m => m.TipId == tip).ToListAsync())
            {
                found[$"message {message.Position}"] = message.SealedBody;
            }

            foreach (var note in await db.TipNotes.AsNoTracking().Where(n => n.TipId == tip).ToListAsync())
            {
                found[$"note {note.Id}"] = note.SealedBody;
            }

            return found;
        });
        Assert.Equal(10, secrets.Count);
        var expired = app.Clock.GetUtcNow().UtcDateTime.AddDays(-400);
        await app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, TipStatus.Closed).SetProperty(t => t.StatusChangedAtUtc, expired)));

        // The test can see them before: each sealed value is somewhere in the database file or the WAL.
        Assert.Equal(secrets.Keys.Order(), FoundOnDisk(secrets).Order());

        var result = await app.PurgeAsync();

        Assert.True(result.Total >= 1);
        Assert.True(result.WalTruncated);
        Assert.False(await app.ExistsAsync(tip));
        Assert.Empty(FoundOnDisk(secrets));
    }

    [Fact]
    public async Task Warning_ForATipWhoseHolderWasDisabled_GoesToTheSupervisors()
    {
        var email = $"disabled-{Guid.NewGuid():N}@example.org";
        await Officers.CreateAsync(app, email, Roles.Officer);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var holder = await app.ScopedAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            user.DisabledAtUtc = now;
            await db.SaveChangesAsync();
            return user.Id;
        });
        var tip = await TipAsync(TipStatus.NotActionable, now.AddDays(-80), t => t.AssignedToId = holder);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<RetentionWarnings>().RunOnceAsync(None) >= 1);
        }

        Assert.Equal([app.Supervisor.Id], await WarnedAsync(tip));
    }

    [Theory]
    [InlineData("Retention:NotActionableDays", "0", "Retention:NotActionableDays must be a whole number of days from 1")]
    [InlineData("Retention:ClosedDays", "-5", "Retention:ClosedDays must be")]
    [InlineData("Retention:BatchSize", "0", "Retention:BatchSize must be")]
    [InlineData("Jobs:RetentionHour", "24", "Jobs:RetentionHour must be")]
    public void ABadRetentionSetting_StopsTheAppAtStartUp_NamingTheKey(string key, string value, string message)
    {
        using var factory = new AppFactory(new() { [key] = value });

        var error = Record.Exception(() => factory.Services);

        Assert.NotNull(error);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheTestApp_RunsNoRetentionJobOfItsOwn()
    {
        Assert.False(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionJobOptions>>().Value.RetentionEnabled);
    }

    /// <summary>
    /// Which of the values have a run of 32 bytes or more anywhere in the database file or its WAL
    /// (read as raw bytes, beside the running app). A value split across overflow pages still has such runs.
    /// </summary>
    private List<string> FoundOnDisk(Dictionary<string, byte[]> values)
    {
        var windows = new Dictionary<UInt128, string>();
        foreach (var (name, value) in values)
        {
            Assert.True(value.Length >= 32, $"{name} is {value.Length} bytes");
            for (var i = 0; i + 16 <= value.Length; i++)
            {
                windows.TryAdd(BinaryPrimitives.ReadUInt128LittleEndian(value.AsSpan(i, 16)), name);
            }
        }

        var found = new HashSet<string>();
        foreach (var path in new[] { app.DatabaseFile, app.DatabaseFile + "-wal" })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            for (var offset = 0; offset + 16 <= bytes.Length; offset += 16)
            {
                if (windows.TryGetValue(BinaryPrimitives.ReadUInt128LittleEndian(bytes.AsSpan(offset, 16)), out var name))
                {
                    found.Add(name);
                }
            }
        }

        return [.. found];
    }

    private async Task AssertWholeOrGoneAsync(List<Guid> tips, Dictionary<Guid, int> whole)
    {
        foreach (var tip in tips)
        {
            Assert.Equal(await app.ExistsAsync(tip) ? whole[tip] : 0, await app.ChildRowsAsync(tip));
        }
    }

    private Task<int> ClusterCountAsync(Guid cluster) =>
        app.ScopedAsync(async db =>
        {
            var stored = await db.TipClusters.Where(c => c.Id == cluster).Select(c => c.TipCount).SingleAsync();
            Assert.Equal(await db.Tips.CountAsync(t => t.ClusterId == cluster), stored);
            return stored;
        });

    /// <summary>Recomputes every score; returns how many were wrong (0 when the purge kept them right).</summary>
    private Task<int> RescoreAsync() =>
        app.ScopedAsync(db => TipScores.RecomputeAsync(db, db.Tips, app.Clock.GetUtcNow().UtcDateTime, None));

    private Task<Guid> TipAsync(TipStatus status, DateTime changedAtUtc, Action<Tip>? more = null) =>
        TriageSetup.AddTipAsync(app, RetentionApp.NoticeReference, t =>
        {
            t.Status = status;
            t.StatusChangedAtUtc = changedAtUtc;
            more?.Invoke(t);
        });

    /// <summary>What the hold page stores (its round trip over HTTP is <see cref="RetentionHoldTests"/>'s).</summary>
    private Task<int> HoldAsync(Guid tip, bool hold)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return app.ScopedAsync(db => db.Tips.Where(t => t.Id == tip).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.RetentionHoldReason, hold ? "note:test" : null)
            .SetProperty(t => t.RetentionHeldById, hold ? app.Supervisor.Id : null)
            .SetProperty(t => t.RetentionHeldAtUtc, hold ? now : null)));
    }

    private Task<List<string>> WarnedAsync(Guid tip) =>
        app.ScopedAsync(db => db.OfficerNotifications.Where(n => n.TipId == tip && n.Kind == NotificationKind.DeletionDueSoon).Select(n => n.OfficerId).ToListAsync());

    private Task<int> MailsAsync(Guid tip, string to)
    {
        var id = tip.ToString();
        return app.ScopedAsync(db => db.EmailOutbox.CountAsync(m => m.ToAddress == to && m.Body.Contains(id) && m.Subject.Contains("will be deleted soon")));
    }

    private Task<AuditRecord> PurgeRecordAsync(Guid tip) =>
        app.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.TipId == tip && r.Action == AuditActions.Purged));
}
