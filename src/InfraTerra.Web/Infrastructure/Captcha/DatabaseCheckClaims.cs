using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// Claims in the <c>CheckClaims</c> table, for nodes that share a database and no Redis: a claim is
/// an insert, and the primary key decides between parallel ones on every engine; the loser reads the
/// winner. Each call uses its own context, so no caller's transaction is touched. Rows are removed
/// <see cref="ICheckClaims.KeptAfterExpiry"/> after their check expired (by <see cref="PruneExpiredAsync"/>,
/// a periodic job, or when the same id is claimed again), never sooner: the node that removes a row may
/// have a clock ahead of the node still accepting its check. Until removed, an expired row is not a holder.
/// </summary>
public sealed class DatabaseCheckClaims(IServiceScopeFactory scopes, TimeProvider clock) : ICheckClaims
{
    public async Task<string?> HolderOfAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.CheckClaims.AsNoTracking()
            .Where(c => c.Id == id && c.ExpiresAtUtc >= now)
            .Select(c => c.Owner)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<string> ClaimAsync(string id, string owner, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        // Twice at most: once more after clearing an expired claim on the same id that no job removed yet.
        for (var attempt = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CheckClaims.Add(new CheckClaim { Id = id, Owner = owner, ExpiresAtUtc = expires.UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return owner;
            }
            catch (DbUpdateException)
            {
                // A key violation, or a real failure: only the row can tell, whatever the engine's error codes.
                db.ChangeTracker.Clear();
                var held = await db.CheckClaims.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
                if (held is null)
                {
                    throw;
                }

                var before = clock.GetUtcNow().UtcDateTime - ICheckClaims.KeptAfterExpiry;
                if (held.ExpiresAtUtc >= before || attempt > 0)
                {
                    return held.Owner;
                }

                await db.CheckClaims.Where(c => c.Id == id && c.ExpiresAtUtc < before).ExecuteDeleteAsync(cancellationToken);
            }
        }
    }

    public const int PruneBatch = 1000;

    /// <summary>
    /// Removes the claims that expired more than <see cref="ICheckClaims.KeptAfterExpiry"/> before
    /// <paramref name="now"/>, in batches of <see cref="PruneBatch"/>, each a statement of its own (a run
    /// cut short leaves fewer expired rows, nothing else); returns how many.
    /// </summary>
    public static async Task<int> PruneExpiredAsync(AppDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        now -= ICheckClaims.KeptAfterExpiry;
        var deleted = 0;
        while (true)
        {
            var ids = await db.CheckClaims.AsNoTracking().Where(c => c.ExpiresAtUtc < now)
                .OrderBy(c => c.ExpiresAtUtc).Select(c => c.Id).Take(PruneBatch).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return deleted;
            }

            deleted += await db.CheckClaims.Where(c => ids.Contains(c.Id) && c.ExpiresAtUtc < now).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
