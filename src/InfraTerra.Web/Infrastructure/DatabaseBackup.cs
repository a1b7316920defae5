using System.Globalization;
using InfraTerra.Web.Data;
using Microsoft.Data.Sqlite;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// <c>backup --to FILE</c>: a consistent copy of the embedded SQLite database, taken with SQLite's
/// online backup API while the app keeps serving (in WAL mode its writers are not held up), into a
/// new file only the operator can read, then checked. It holds sealed tips and no key (README, "Backups").
/// </summary>
public static class DatabaseBackup
{
    public static async Task<int> RunAsync(IServiceProvider services, OperatorCommands.CommandArguments args, TextWriter output)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var provider = DatabaseRegistration.ProviderFrom(configuration);
        if (provider != DatabaseProvider.Sqlite)
        {
            await output.WriteLineAsync(provider == DatabaseProvider.Postgres
                ? "backup copies the embedded SQLite database only. This app uses PostgreSQL: back it up with its own tools, e.g. "
                  + "`pg_dump --format=custom --file=infraterra.dump <database>` (restore with pg_restore), or continuous archiving for point-in-time recovery."
                : "backup copies the embedded SQLite database only. This app uses SQL Server: back it up with its own tools, e.g. "
                  + "`BACKUP DATABASE [InfraTerra] TO DISK = N'/var/opt/mssql/backup/infraterra.bak' WITH CHECKSUM, COMPRESSION` (restore with RESTORE DATABASE).");
            await output.WriteLineAsync("Either way, the keys are not in the database: keep them too (README, \"Backups\").");
            return 1;
        }

        var target = Path.GetFullPath(args.Required("--to"));
        if (File.Exists(target) || Directory.Exists(target))
        {
            throw new OperatorCommands.CommandException($"{target} already exists; backup never overwrites. Choose a new file name.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            throw new OperatorCommands.CommandException($"The folder of {target} does not exist.");
        }

        CreateOwnerOnly(target);
        try
        {
            var source = DatabaseRegistration.SqliteConnectionString(configuration, services.GetRequiredService<DataFolder>());
            var copy = new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString();
            await using (var from = new SqliteConnection(source))
            await using (var to = new SqliteConnection(copy))
            {
                await from.OpenAsync();
                await to.OpenAsync();
                from.BackupDatabase(to);

                // One self-contained file: the copy keeps no -wal beside it.
                await Scalar(to, "PRAGMA journal_mode=DELETE");
            }

            var check = await VerifyAsync(copy);
            if (check.Integrity != "ok")
            {
                throw new OperatorCommands.CommandException($"The copy failed its integrity check ({check.Integrity}); it was removed. Try again.");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {target} ({new FileInfo(target).Length:N0} bytes, readable by its owner only): integrity ok, {check.Tips:N0} tips, {check.Notices:N0} notices, {check.AuditRecords:N0} audit records."));
            await output.WriteLineAsync(
                "It holds the tips sealed, and no key: without Tips:MasterKey (and Tips:LookupKey, Audit:Key, the Data Protection certificate) it cannot be read. Keep those apart from it.");
            return 0;
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            File.Delete(target);
            throw;
        }
    }

    private static void CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        new FileStream(path, options).Dispose();
    }

    private static async Task<(string Integrity, long Tips, long Notices, long AuditRecords)> VerifyAsync(string copy)
    {
        await using var connection = new SqliteConnection(copy + ";Mode=ReadOnly");
        await connection.OpenAsync();
        return (
            Convert.ToString(await Scalar(connection, "PRAGMA integrity_check"), CultureInfo.InvariantCulture) ?? "",
            Convert.ToInt64(await Scalar(connection, "SELECT COUNT(*) FROM \"Tips\""), CultureInfo.InvariantCulture),
            Convert.ToInt64(await Scalar(connection, "SELECT COUNT(*) FROM \"Notices\""), CultureInfo.InvariantCulture),
            Convert.ToInt64(await Scalar(connection, "SELECT COUNT(*) FROM \"AuditRecords\""), CultureInfo.InvariantCulture));
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
