using InfraTerra.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Data;

public sealed class SqliteSettingsTests(SharedApp factory) : IClassFixture<SharedApp>
{
    [Fact]
    public void EmbeddedDatabase_LivesInTheDataFolder_WithWalFullSyncAndBusyTimeout()
    {
        var (journal, synchronous, busy) = factory.Scoped(db =>
        {
            // Opened through EF Core, as the app always does: that is where the settings are applied
            // (a bare DbConnection.Open after another test cleared the pools would get a fresh native connection without them).
            db.Database.OpenConnection();
            var connection = db.Database.GetDbConnection();
            string Read(string pragma)
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA {pragma};";
                return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
            }

            return (Read("journal_mode"), Read("synchronous"), Read("busy_timeout"));
        });

        Assert.True(File.Exists(factory.DatabaseFile));
        Assert.Equal("wal", journal);
        Assert.Equal("2", synchronous);
        Assert.Equal("10000", busy);
    }

    [Fact]
    public void EmbeddedDatabase_HasEveryMigrationApplied()
    {
        var pending = factory.Scoped(db => db.Database.GetPendingMigrations().ToList());
        Assert.Empty(pending);
    }
}
