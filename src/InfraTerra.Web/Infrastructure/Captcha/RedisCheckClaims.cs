using InfraTerra.Web.Infrastructure.SharedState;
using StackExchange.Redis;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// Claims in Redis: <c>SET NX</c> with the check's expiry decides between nodes, then <c>GET</c>
/// tells the same form from another. Keys (<c>{prefix}claim:{id}</c>) are kept until the check
/// expires by this node's clock, plus <see cref="ICheckClaims.KeptAfterExpiry"/>, so a node whose clock
/// is behind never accepts a check whose claim Redis already dropped. A Redis restart forgets the
/// claims of checks still valid (README, "Shared state").
/// </summary>
public sealed class RedisCheckClaims(SharedRedis redis, TimeProvider clock) : ICheckClaims
{
    public async Task<string?> HolderOfAsync(string id, CancellationToken cancellationToken)
    {
        var held = await redis.Database.StringGetAsync(Key(id));
        return held.IsNull ? null : held.ToString();
    }

    public async Task<string> ClaimAsync(string id, string owner, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var left = expires - clock.GetUtcNow();
        var lifetime = (left > TimeSpan.Zero ? left : TimeSpan.Zero) + ICheckClaims.KeptAfterExpiry;

        var database = redis.Database;
        // A claim that expires between the SET and the GET leaves nothing to read: try again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await database.StringSetAsync(Key(id), owner, lifetime, When.NotExists))
            {
                return owner;
            }

            var held = await database.StringGetAsync(Key(id));
            if (!held.IsNull)
            {
                return held.ToString();
            }
        }

        throw new RedisException("A check's claim could neither be written nor read.");
    }

    private static RedisKey Key(string id) => "claim:" + id;
}
