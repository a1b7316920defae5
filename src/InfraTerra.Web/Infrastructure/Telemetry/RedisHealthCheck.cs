using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>
/// Readiness includes Redis when <c>ConnectionStrings:Redis</c> is set: a PING that must answer
/// within <see cref="Timeout"/>. The node's public pages keep answering without it; the check tells
/// the proxy and the operator that its shared limits and cache are away.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis did not answer ({e.GetType().Name})");
        }
    }
}

public static class RedisHealthRegistration
{
    public static IServiceCollection AddHealthChecksForSharedState(this IServiceCollection services, IConfiguration configuration)
    {
        if (SharedStateRegistration.HasRedis(configuration))
        {
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        }

        return services;
    }
}
