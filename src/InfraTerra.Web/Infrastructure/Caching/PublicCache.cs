using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InfraTerra.Web.Infrastructure.Caching;

/// <summary>
/// Output caching for public pages (docs/architecture.md, "Caching"): entries live at most a minute,
/// so every node catches up after a change; the node that changes a notice evicts at once
/// (<see cref="Infrastructure.Caching.NoticeChangeEviction"/>). Signed-in officers never get or
/// fill cache entries: the default policy skips authenticated requests and responses that set cookies.
/// </summary>
public static class PublicCache
{
    public const string Policy = "Public";
    public const string NoticesTag = "notices";
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public static IServiceCollection AddPublicOutputCache(this IServiceCollection services) => services
        // Every context's saves pass through it, whatever the provider (see AddAppDatabase).
        .AddSingleton<PublicDataChanges>()
        .AddSingleton<IInterceptor, NoticeChangeEviction>()
        .AddOutputCache(o => o.AddPolicy(Policy, b => b
            .Expire(Lifetime)
            .SetVaryByQuery("*")
            .VaryByValue(_ => new KeyValuePair<string, string>("culture", CultureInfo.CurrentUICulture.Name))
            .Tag(NoticesTag)));
}
