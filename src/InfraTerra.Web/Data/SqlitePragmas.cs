using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InfraTerra.Web.Data;

/// <summary>
/// Durability and concurrency settings for every SQLite connection: WAL lets readers and the
/// writer proceed together, synchronous=FULL makes a commit survive power loss, and the busy
/// timeout makes a second writer wait instead of failing.
/// </summary>
public sealed class SqlitePragmas(int busyTimeoutSeconds) : DbConnectionInterceptor
{
    private readonly string _pragmas = string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={busyTimeoutSeconds * 1000}; PRAGMA foreign_keys=ON;");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
