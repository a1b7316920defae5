using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Data;

/// <summary>The database could not be reached or could not write: the visitor is told to try again, with their input kept.</summary>
public static class DatabaseFailures
{
    public static bool IsUnavailable(Exception e) =>
        e is DbException or DbUpdateException or InvalidOperationException { InnerException: DbException };
}
