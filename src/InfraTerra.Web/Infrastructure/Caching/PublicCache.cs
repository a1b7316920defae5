using System.Globalization;
using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InfraTerra.Web.Infrastructure.Caching;

/// <summary>
/// Output caching for public pages (docs/architecture.md, "Caching"): entries live at most a minute.
/// With Redis (<c>ConnectionStrings:Redis</c>) every node shares one store, under the app's key prefix,
/// and a change to a notice evicts everywhere at once; without it each node has its own, and the node
/// that changes a notice evicts its own at once (<see cref="Infrastructure.Caching.NoticeChangeEviction"/>)
/// while the others' entries expire. Signed-in officers never get or fill cache entries: the default
/// policy skips authenticated requests and responses that set cookies.
/// </summary>
public static class PublicCache
{
    public const string Policy = "Public";
    public const string NoticesTag = "notices";
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public static IServiceCollection AddPublicOutputCache(this IServiceCollection services, IConfiguration configuration)
    {
        services
            // Every context's saves pass through it, whatever the provider (see AddAppDatabase).
            .AddSingleton<PublicDataChanges>()
            .AddSingleton<IInterceptor, NoticeChangeEviction>()
            .AddOutputCache(o => o.AddPolicy(Policy, b => b
                .Expire(Lifetime)
                .SetVaryByQuery("*")
                .VaryByValue(_ => new KeyValuePair<string, string>("culture", CultureInfo.CurrentUICulture.Name))
                .Tag(NoticesTag)));
        if (!SharedStateRegistration.HasRedis(configuration))
        {
            return services.AddSingleton<INoticeChangeBroadcast, NoBroadcast>();
        }

        services.AddStackExchangeRedisOutputCache(o => o.InstanceName = SharedRedis.InstanceName(configuration));
        services.DecorateLast<IOutputCacheStore>((sp, store) => RedisAwayBypass.Wrap(store, sp.GetRequiredService<SharedRedis>()));
        services.AddOptions<RedisOutputCacheOptions>().Configure<IServiceProvider>((o, sp) =>
            o.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<SharedRedis>().Multiplexer));
        return services
            .AddSingleton<RedisNoticeChannel>()
            .AddSingleton<INoticeChangeBroadcast>(sp => sp.GetRequiredService<RedisNoticeChannel>())
            .AddHostedService(sp => sp.GetRequiredService<RedisNoticeChannel>());
    }
}
