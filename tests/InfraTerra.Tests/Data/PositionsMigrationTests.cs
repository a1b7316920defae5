using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace InfraTerra.Tests.Data;

public sealed class PositionsMigrationTests
{
    [Fact]
    public async Task PositionsMigration_NumbersExistingMessagesAndFilesInTimeOrder_AndTakesTipsterTimesToTheHour()
    {
        var file = Path.Combine(Path.GetTempPath(), "infraterra-tests", $"migration-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={file}").Options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("AttachmentLocationAndReplies");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO Tips (Id, Desk, Status, SubmittedAtUtc, SealedContent, WrappedDataKey, MasterKeyId, ReceiptLookupHash, IdempotencyKeyHash, ReplayReceipt)
                VALUES ('0E5E9A4C-0000-0000-0000-000000000001', 'GENERAL', 1, '2026-11-30 10:20:30.1234567', X'00', X'00', 'k', X'01', X'01', X'00');
                INSERT INTO TipMessages (Id, TipId, Author, SentAtUtc, SealedBody) VALUES
                  ('FFFFFFFF-0000-0000-0000-000000000001', '0E5E9A4C-0000-0000-0000-000000000001', 1, '2026-11-30 11:05:00.5', X'00'),
                  ('AAAAAAAA-0000-0000-0000-000000000002', '0E5E9A4C-0000-0000-0000-000000000001', 2, '2026-11-30 12:45:10.75', X'00'),
                  ('11111111-0000-0000-0000-000000000003', '0E5E9A4C-0000-0000-0000-000000000001', 1, '2026-11-30 13:59:59.9999999', X'00');
                INSERT INTO TipAttachments (Id, TipId, ContentType, Size, AddedAtUtc, SealedContent, SealedOriginalHash) VALUES
                  ('99999999-0000-0000-0000-000000000001', '0E5E9A4C-0000-0000-0000-000000000001', 'image/png', 1, '2026-11-30 10:20:30.1234567', X'00', X'00'),
                  ('22222222-0000-0000-0000-000000000002', '0E5E9A4C-0000-0000-0000-000000000001', 'image/png', 1, '2026-11-30 13:59:59.9999999', X'00', X'00');
                """);

            await migrator.MigrateAsync();

            var tip = await db.Tips.AsNoTracking().Include(t => t.Messages).Include(t => t.Attachments).SingleAsync();
            Assert.Equal(new DateTime(2026, 11, 30, 10, 0, 0), tip.SubmittedAtUtc);
            Assert.Equal(
                [(1, MessageAuthor.Tipster, new DateTime(2026, 11, 30, 11, 0, 0)), (2, MessageAuthor.Officer, new DateTime(2026, 11, 30, 12, 45, 10, 750)), (3, MessageAuthor.Tipster, new DateTime(2026, 11, 30, 13, 0, 0))],
                tip.Messages.OrderBy(m => m.Position).Select(m => (m.Position, m.Author, m.SentAtUtc)));
            Assert.Equal(
                [(1, new DateTime(2026, 11, 30, 10, 0, 0)), (2, new DateTime(2026, 11, 30, 13, 0, 0))],
                tip.Attachments.OrderBy(a => a.Position).Select(a => (a.Position, a.AddedAtUtc)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
