using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure;
using Microsoft.Data.Sqlite;

namespace InfraTerra.Tests.Operations;

public sealed class BackupCommandTests
{
    [Fact]
    public async Task Backup_WhileAnotherConnectionWritesTips_WritesAnOwnerOnlyCopyThatOpensWithTheRows()
    {
        using var factory = new AppFactory();
        Assert.Equal(0, (await RunAsync(factory, "generate-tips", "--count", "300", "--force-sample-data")).Exit);
        var target = Path.Combine(factory.DataFolder, "backup-1.db");

        var writing = RunAsync(factory, "generate-tips", "--count", "3000", "--seed", "7", "--force-sample-data");
        await Task.Delay(200);
        var (exit, output) = await RunAsync(factory, "backup", "--to", target);
        Assert.Equal(0, (await writing).Exit);

        Assert.Equal(0, exit);
        Assert.Contains($"Wrote {target}", output, StringComparison.Ordinal);
        Assert.Contains("integrity ok", output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        }

        Assert.False(File.Exists(target + "-wal"));
        var total = factory.Scoped(db => db.Tips.Count());
        await using var copy = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        await using var count = copy.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM \"Tips\"";
        var copied = (long)(await count.ExecuteScalarAsync())!;
        Assert.InRange(copied, 300, total);
        Assert.Contains($"{copied:N0} tips", output, StringComparison.Ordinal);
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
