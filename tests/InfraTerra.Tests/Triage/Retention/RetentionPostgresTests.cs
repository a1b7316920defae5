using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage.Retention;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InfraTerra.Tests.Triage.Retention;

/// <summary>The purge on the server engine, for real: explicit deletes, outcomes kept, clusters counted.</summary>
public sealed class RetentionPostgresTests
{
    [SkippableFact]
    public async Task Postgres_PurgeDeletesExpiredTipsWithEverythingTheyHeld_AndKeepsTheRest()
    {
        var server = RealParts.RequirePostgres();
        var database = "infraterra_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            using var factory = new AppFactory(new()
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Postgres"] = connection,
                ["Retention:BatchSize"] = "2",
            });
            Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["migrate"], TextWriter.Null));
            Assert.Equal(0, await OperatorCommands.RunAsync(factory.Services, ["seed-demo"], TextWriter.Null));
            await Officers.CreateAsync(factory, "pg-retention@example.org", Roles.Supervisor);
            var supervisor = await factory.ScopedAsync(db => db.Users.Where(u => u.Email == "pg-retention@example.org").Select(u => u.Id).SingleAsync());
            var now = DateTime.UtcNow;
            var cluster = Guid.NewGuid();
            await factory.ScopedAsync(async db =>
            {
                db.TipClusters.Add(new TipCluster { Id = cluster, TipCount = 4, CreatedById = supervisor, CreatedAtUtc = now });
                return await db.SaveChangesAsync();
            });

            var expired = new List<Guid>();
            for (var i = 0; i < 3; i++)
            {
                expired.Add(await TriageSetup.AddTipAsync(factory, null, t =>
                {
                    t.Status = TipStatus.Duplicate;
                    t.StatusChangedAtUtc = now.AddDays(-100 - i);
                    t.ClusterId = cluster;
                }));
            }

            var kept = await TriageSetup.AddTipAsync(factory, null, t =>
            {
                t.Status = TipStatus.Duplicate;
                t.StatusChangedAtUtc = now.AddDays(-10);
                t.ClusterId = cluster;
            });
            await factory.ScopedAsync(async db =>
            {
                foreach (var tip in expired)
                {
                    db.TipNotes.Add(new TipNote { Id = Guid.NewGuid(), TipId = tip, Kind = TipNoteKind.Note, AuthorId = supervisor, CreatedAtUtc = now, SealedBody = [1, 2, 3] });
                    db.TipMessages.Add(new TipMessage { Id = Guid.NewGuid(), TipId = tip, Author = MessageAuthor.Tipster, Position = 1, SentAtUtc = now, SealedBody = [4, 5, 6] });
                    db.TipDeskShares.Add(new TipDeskShare { TipId = tip, Desk = "KE", SharedAtUtc = now });
                    db.OfficerNotifications.Add(new OfficerNotification { OfficerId = supervisor, Kind = NotificationKind.DeletionDueSoon, TipId = tip, CreatedAtUtc = now, DedupKey = $"pg:{tip:N}" });
                }

                db.TipOutcomes.Add(new TipOutcome { Id = Guid.NewGuid(), TipId = expired[0], ClusterId = cluster, Kind = OutcomeKind.NoResult, OccurredOn = new DateOnly(2026, 11, 1), RecordedById = supervisor, RecordedAtUtc = now });
                return await db.SaveChangesAsync();
            });

            await using var scope = factory.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<RetentionPurge>().RunAsync(AuditActor.CommandLine, dryRun: false, CancellationToken.None);

            Assert.Equal(3, result.Total);
            Assert.Equal(2, result.Batches);
            Assert.Null(result.WalTruncated);
            Assert.Equal([kept], await factory.ScopedAsync(db => db.Tips.Select(t => t.Id).ToListAsync()));
            Assert.Equal(0, await factory.ScopedAsync(async db =>
                await db.TipNotes.CountAsync() + await db.TipMessages.CountAsync() + await db.TipDeskShares.CountAsync() + await db.OfficerNotifications.CountAsync()));
            Assert.Null(await factory.ScopedAsync(db => db.TipOutcomes.Select(o => o.TipId).SingleAsync()));
            Assert.Equal(1, await factory.ScopedAsync(db => db.TipClusters.Where(c => c.Id == cluster).Select(c => c.TipCount).SingleAsync()));
            Assert.Equal(3, await factory.ScopedAsync(db => db.AuditRecords.CountAsync(r => r.Action == AuditActions.Purged)));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
