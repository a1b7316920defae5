using InfraTerra.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Infrastructure.Jobs;

/// <summary>
/// Every <see cref="JobsOptions.ClaimsPruneMinutes"/>: deletes the anti-spam check claims that expired
/// (a claim only matters while its check could still be replayed). Batches of <see cref="Batch"/>,
/// each a statement of its own: a run cut short leaves fewer expired rows, nothing else.
/// </summary>
public sealed class ClaimsPruneJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<JobsOptions> options) : IScheduledJob
{
    public const int Batch = 1000;

    public string Name => "claims-prune";
    public bool Enabled => options.Value.ClaimsPruneEnabled;
    public JobSchedule Schedule => new JobSchedule.Every(TimeSpan.FromMinutes(options.Value.ClaimsPruneMinutes));

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        $"{await RunOnceAsync(cancellationToken)} expired claim(s) deleted";

    /// <summary>One run; returns how many claims it deleted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var deleted = 0;
        while (true)
        {
            var ids = await db.CheckClaims.AsNoTracking().Where(c => c.ExpiresAtUtc < now)
                .OrderBy(c => c.ExpiresAtUtc).Select(c => c.Id).Take(Batch).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return deleted;
            }

            deleted += await db.CheckClaims.Where(c => ids.Contains(c.Id) && c.ExpiresAtUtc < now).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
