using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InfraTerra.Tests.Support;

/// <summary>Counts the SQL commands the app sends, to prove what the output cache saves.</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;

    public ConcurrentQueue<string> Commands { get; } = new();

    public int Count => Volatile.Read(ref _count);

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Commands.Clear();
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        Interlocked.Increment(ref _count);
        Commands.Enqueue(command.CommandText);
    }
}
