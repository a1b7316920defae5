using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.Extensions.Caching.Memory;

namespace InfraTerra.Web.Infrastructure.Abuse;

public static class AbuseRegistration
{
    /// <summary>
    /// Per-client budgets and guards, kept under keyed hashes of addresses: in Redis, shared by the
    /// nodes, when <c>ConnectionStrings:Redis</c> is set; else in this node's memory.
    /// </summary>
    public static IServiceCollection AddAbuseLimits(this IServiceCollection services, IConfiguration configuration) => services
        .AddSingleton<IClientCounters>(sp => SharedStateRegistration.HasRedis(configuration)
            ? new RedisClientCounters(sp.GetRequiredService<SharedRedis>())
            : new MemoryClientCounters(sp.GetRequiredService<IMemoryCache>()))
        .AddSingleton(sp => new ClientKeys(configuration, sp.GetRequiredService<TimeProvider>(),
            SharedStateRegistration.HasRedis(configuration) ? sp.GetRequiredService<TipKeys>() : null))
        .AddSingleton<FollowUpGuard>()
        .AddSingleton<SignInGuard>()
        .AddSingleton<SubmissionLimits>()
        .AddSingleton(_ => new ClientDecodeTurns());
}
