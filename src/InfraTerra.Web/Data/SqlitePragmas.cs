using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InfraTerra.Web.Data;

/// <summary>
/// Durability and concurrency settings for every SQLite connection: WAL lets readers and the
/// writer proceed together, synchronous=FULL makes a commit survive power loss, and the busy
/// timeout makes a second writer wait instead of failing.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const int BusyTimeoutMs = 10_000;

    private static readonly string Pragmas = string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={BusyTimeoutMs}; PRAGMA foreign_keys=ON;");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
