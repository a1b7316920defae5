using StackExchange.Redis;

namespace InfraTerra.Web.Infrastructure.SharedState;

/// <summary>
/// Where state that several nodes must agree on lives (docs/architecture.md, "Several nodes"): in
/// Redis when <c>ConnectionStrings:Redis</c> is set, else in the database (what must be shared) and
/// in the node (the rest).
/// </summary>
public static class SharedStateRegistration
{
    public static bool HasRedis(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));

    public static IServiceCollection AddSharedState(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(NodeIdentity.From(configuration));
        if (HasRedis(configuration))
        {
            var options = ConfigurationOptions.Parse(configuration.GetConnectionString("Redis")!);
            // A node starts, and keeps serving its public pages, while Redis is away; what needs Redis waits for it.
            options.AbortOnConnectFail = false;
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            services.AddSingleton<SharedRedis>();
        }

        return services;
    }
}
