using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InfraTerra.Tests.Operations;

public sealed class BackupCommandTests
{
    [Fact]
    public async Task Backup_WhileAnotherConnectionHoldsAWriteTransaction_CopiesTheCommittedStateOnly_WholeTransactionsInOrOut()
    {
        using var factory = new AppFactory();
        Assert.Equal(0, (await RunAsync(factory, "generate-tips", "--count", "300", "--force-sample-data")).Exit);
        var target = Path.Combine(factory.DataFolder, "backup-1.db");
        var before = factory.Scoped(db => db.Tips.Count());
        Assert.Equal(300, before);

        // Another writer: one transaction committed before the backup (it must be in the copy), and one
        // that holds the database's write lock through the whole backup, committed after it (it must
        // not be in the copy, not even in part).
        await using var writer = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await writer.OpenAsync();
        await ExecuteAsync(writer, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
        await using (var committed = writer.BeginTransaction())
        {
            await ExecuteAsync(writer, DeleteTips(50), committed);
            await committed.CommitAsync();
        }

        var (exit, output) = (-1, "");
        await using (var held = writer.BeginTransaction(deferred: false))
        {
            Assert.Equal(100, await ExecuteAsync(writer, DeleteTips(100), held));
            (exit, output) = await RunAsync(factory, "backup", "--to", target);
            await held.CommitAsync();
        }

        Assert.Equal(0, exit);
        Assert.Contains($"Wrote {target}", output, StringComparison.Ordinal);
        Assert.Contains("integrity ok", output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        }

        Assert.False(File.Exists(target + "-wal"));
        var after = factory.Scoped(db => db.Tips.Count());
        await using var copy = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        await using var count = copy.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM \"Tips\"";
        var copied = (long)(await count.ExecuteScalarAsync())!;

        // before > copy > after: the first transaction whole in, the held one whole out.
        Assert.Equal(250, copied);
        Assert.Equal(150, after);
        Assert.Contains($"{copied:N0} tips", output, StringComparison.Ordinal);
    }

    private static string DeleteTips(int count) =>
        $"DELETE FROM \"Tips\" WHERE \"Id\" IN (SELECT \"Id\" FROM \"Tips\" ORDER BY \"Id\" LIMIT {count})";

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Backup_ToAnExistingFile_RefusesAndLeavesItAlone()
    {
        using var factory = new AppFactory();
        var target = Path.Combine(factory.DataFolder, "kept.db");
        await File.WriteAllTextAsync(target, "an older backup");

        var (exit, output) = await RunAsync(factory, "backup", "--to", target);

        Assert.Equal(2, exit);
        Assert.Contains("never overwrites", output, StringComparison.Ordinal);
        Assert.Equal("an older backup", await File.ReadAllTextAsync(target));
    }

    [Theory]
    [InlineData("Postgres", "pg_dump")]
    [InlineData("SqlServer", "BACKUP DATABASE")]
    public async Task Backup_OnAServerEngine_PointsToItsOwnToolsAndFails(string provider, string tool)
    {
        using var factory = new AppFactory(new()
        {
            ["Database:Provider"] = provider,
            [$"ConnectionStrings:{provider}"] = provider == "Postgres" ? "Host=127.0.0.1;Port=1;Database=none" : "Server=127.0.0.1,1;Database=none",
        });
        var target = Path.Combine(factory.DataFolder, "never.db");

        var (exit, output) = await RunAsync(factory, "backup", "--to", target);

        Assert.Equal(1, exit);
        Assert.Contains(tool, output, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    private static async Task<(int Exit, string Output)> RunAsync(AppFactory factory, params string[] args)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, args, output);
        return (exit, output.ToString());
    }
}
