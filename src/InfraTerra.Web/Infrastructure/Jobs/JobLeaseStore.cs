using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Jobs;

/// <summary>
/// The <see cref="JobLease"/> rows, held by conditional updates the database serializes: of the nodes
/// that try to take a job at the same moment, one sees one row changed and runs it, the others see
/// none. The same statements on SQLite, PostgreSQL and SQL Server (no engine's advisory locks: ADR 0015).
/// Each call uses a context of its own, so calls may run side by side.
/// </summary>
public sealed class JobLeaseStore(IServiceScopeFactory scopes, NodeIdentity node, TimeProvider clock)
{
    private const int ResultLength = 200;

    /// <summary>This node's name, written in the rows it holds.</summary>
    public string Holder => node.Name;

    public async Task<IReadOnlyList<JobLease>> ReadAllAsync(CancellationToken cancellationToken) =>
        await WithContextAsync(db => db.JobLeases.AsNoTracking().ToListAsync(cancellationToken));

    /// <summary>
    /// Takes <paramref name="name"/> for <paramref name="lease"/> if nobody holds it (or its holder's lease
    /// lapsed) and it is still due: not completed since <paramref name="dueIfCompletedBefore"/>. True when
    /// this node won. The row is added first if missing; two nodes adding it at once is harmless.
    /// </summary>
    public async Task<bool> TryTakeAsync(string name, TimeSpan lease, DateTime dueIfCompletedBefore, CancellationToken cancellationToken) =>
        await WithContextAsync(async db =>
        {
            await EnsureRowAsync(db, name, cancellationToken);
            var now = Now();
            var until = now + lease;
            var holder = Holder;
            var taken = await db.JobLeases
                .Where(j => j.Name == name && (j.LeasedUntilUtc == null || j.LeasedUntilUtc < now)
                    && (j.LastCompletedAtUtc == null || j.LastCompletedAtUtc < dueIfCompletedBefore))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Holder, holder)
                    .SetProperty(j => j.LeasedUntilUtc, until)
                    .SetProperty(j => j.LastStartedAtUtc, now), cancellationToken);
            return taken == 1;
        });

    /// <summary>The heartbeat: extends this node's lease; false when it is no longer this node's (it lapsed and another node took it).</summary>
    public async Task<bool> RenewAsync(string name, TimeSpan lease, CancellationToken cancellationToken) =>
        await WithContextAsync(async db =>
        {
            var until = Now() + lease;
            var holder = Holder;
            return await db.JobLeases.Where(j => j.Name == name && j.Holder == holder && j.LeasedUntilUtc != null)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeasedUntilUtc, until), cancellationToken) == 1;
        });

    /// <summary>Records a finished run and releases the lease; false when the lease was lost meanwhile (nothing recorded).</summary>
    public async Task<bool> CompleteAsync(string name, string result, CancellationToken cancellationToken) =>
        await WithContextAsync(async db =>
        {
            var now = Now();
            var holder = Holder;
            var text = Shorten(result);
            return await db.JobLeases.Where(j => j.Name == name && j.Holder == holder)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Holder, (string?)null)
                    .SetProperty(j => j.LeasedUntilUtc, (DateTime?)null)
                    .SetProperty(j => j.LastCompletedAtUtc, now)
                    .SetProperty(j => j.LastResult, text)
                    .SetProperty(j => j.RunCount, j => j.RunCount + 1), cancellationToken) == 1;
        });

    /// <summary>Releases the lease after a failed or interrupted run, leaving its last completion alone: the job stays due.</summary>
    public async Task<bool> FailAsync(string name, string result, CancellationToken cancellationToken) =>
        await WithContextAsync(async db =>
        {
            var holder = Holder;
            var text = Shorten(result);
            return await db.JobLeases.Where(j => j.Name == name && j.Holder == holder)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Holder, (string?)null)
                    .SetProperty(j => j.LeasedUntilUtc, (DateTime?)null)
                    .SetProperty(j => j.LastResult, text), cancellationToken) == 1;
        });

    private static async Task EnsureRowAsync(AppDbContext db, string name, CancellationToken cancellationToken)
    {
        if (await db.JobLeases.AnyAsync(j => j.Name == name, cancellationToken))
        {
            return;
        }

        db.JobLeases.Add(new JobLease { Name = name });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node added it first: the same row.
        }

        db.ChangeTracker.Clear();
    }

    private async Task<T> WithContextAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private static string Shorten(string text) => text.Length <= ResultLength ? text : text[..ResultLength];
}
