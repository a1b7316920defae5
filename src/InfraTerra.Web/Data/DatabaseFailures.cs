using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace InfraTerra.Web.Data;

/// <summary>
/// The database, or the Redis that holds the state the nodes share (claims, budgets, guards), could
/// not be reached or could not write (also when a retrying execution strategy gave up on a save): the
/// visitor is told to try again, with their input kept.
/// </summary>
public static class DatabaseFailures
{
    public static bool IsUnavailable(Exception e) =>
        e is DbException or DbUpdateException or InvalidOperationException { InnerException: DbException or DbUpdateException }
            or RedisException or RedisTimeoutException;
}
