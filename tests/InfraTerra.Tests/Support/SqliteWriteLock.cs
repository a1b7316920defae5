using Microsoft.Data.Sqlite;

namespace InfraTerra.Tests.Support;

/// <summary>
/// Another connection holding the database's write lock, as during a long migration or a disk
/// stall: the app's writes time out while it is held. Unpooled, so disposing really releases it.
/// </summary>
public sealed class SqliteWriteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteWriteLock(SqliteConnection connection) => _connection = connection;

    public static Task<SqliteWriteLock> TakeAsync(string databaseFile) => TakeAsync(databaseFile, ["BEGIN EXCLUSIVE;"]);

    /// <summary>
    /// Also keeps every other connection from reading: the database is as good as down. The pools
    /// are emptied first, since an open WAL reader would keep the exclusive lock from being taken.
    /// </summary>
    public static Task<SqliteWriteLock> TakeReadsTooAsync(string databaseFile)
    {
        SqliteConnection.ClearAllPools();
        return TakeAsync(databaseFile, ["PRAGMA locking_mode=EXCLUSIVE;", "BEGIN EXCLUSIVE;", "DELETE FROM \"__EFMigrationsHistory\" WHERE 0;"]);
    }

    private static async Task<SqliteWriteLock> TakeAsync(string databaseFile, string[] commands)
    {
        var connection = new SqliteConnection($"Data Source={databaseFile};Pooling=False");
        await connection.OpenAsync();
        foreach (var text in commands)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = text;
            await command.ExecuteNonQueryAsync();
        }

        return new SqliteWriteLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = _connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        await _connection.DisposeAsync();
    }
}
