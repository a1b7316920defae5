using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure.Captcha;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Infrastructure.Jobs;

/// <summary>
/// Every <see cref="JobsOptions.ClaimsPruneMinutes"/>: deletes the anti-spam check claims that expired
/// (a claim only matters while its check could still be replayed), in batches (<see cref="DatabaseCheckClaims.PruneExpiredAsync"/>).
/// </summary>
public sealed class ClaimsPruneJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<JobsOptions> options) : IScheduledJob
{
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
        return await DatabaseCheckClaims.PruneExpiredAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }
}
