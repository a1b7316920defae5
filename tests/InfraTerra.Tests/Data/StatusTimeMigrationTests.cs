using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace InfraTerra.Tests.Data;

public sealed class StatusTimeMigrationTests
{
    /// <summary>
    /// Retention counts from a tip's last status change. Existing tips had no such time: a tip closed last
    /// week must not look closed since its submission, or the first purge after the upgrade deletes it
    /// without a warning.
    /// </summary>
    [Fact]
    public async Task StatusTimeMigration_TakesTheLastStatusChangeFromTheAuditLog_OrNowForAClosedTip_NeverTheSubmission()
    {
        var file = Path.Combine(Path.GetTempPath(), "infraterra-tests", $"migration-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={file}").Options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("QueueNoticeAndAgeIndexes");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO Tips (Id, Desk, Status, SubmittedAtUtc, SealedContent, WrappedDataKey, MasterKeyId, ReceiptLookupHash, IdempotencyKeyHash, ReplayReceipt, AnswerUnread, Revision, ThreatToLife, PriorityScore, PriorityReasons, TipsterSignals) VALUES
                  ('0E5E9A4C-0000-0000-0000-000000000001', 'GENERAL', 7, '2025-01-01 10:00:00', X'00', X'00', 'k', X'01', X'01', X'00', 0, 0, 0, 0, 0, 0),
                  ('0E5E9A4C-0000-0000-0000-000000000002', 'GENERAL', 5, '2025-01-01 10:00:00', X'00', X'00', 'k', X'02', X'02', X'00', 0, 0, 0, 0, 0, 0),
                  ('0E5E9A4C-0000-0000-0000-000000000003', 'GENERAL', 1, '2025-01-01 10:00:00', X'00', X'00', 'k', X'03', X'03', X'00', 0, 0, 0, 0, 0, 0);
                INSERT INTO AuditRecords (Sequence, AtUtc, ActorName, Action, TipId, Mac) VALUES
                  (1, '2026-11-20 09:00:00', 'a', 'tip.status-changed', '0E5E9A4C-0000-0000-0000-000000000001', X'00'),
                  (2, '2026-11-25 16:30:00', 'a', 'tip.status-changed', '0E5E9A4C-0000-0000-0000-000000000001', X'00'),
                  (3, '2026-11-26 08:00:00', 'a', 'tip.viewed', '0E5E9A4C-0000-0000-0000-000000000001', X'00');
                """);
            var before = DateTime.UtcNow.AddMinutes(-1);

            await migrator.MigrateAsync();

            var times = await db.Tips.AsNoTracking().ToDictionaryAsync(t => t.Id.ToString()[^1], t => t.StatusChangedAtUtc);
            Assert.Equal(new DateTime(2026, 11, 25, 16, 30, 0), times['1']);
            Assert.InRange(times['2'], before, DateTime.UtcNow.AddMinutes(1));
            Assert.Equal(new DateTime(2025, 1, 1, 10, 0, 0), times['3']);
            Assert.Equal(TipStatus.NotActionable, (await db.Tips.AsNoTracking().SingleAsync(t => t.StatusChangedAtUtc == times['2'])).Status);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
