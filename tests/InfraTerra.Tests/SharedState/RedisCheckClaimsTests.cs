using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Captcha;
using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace InfraTerra.Tests.SharedState;

/// <summary>Claims in Redis outlive their check by a margin, so nodes whose clocks differ still agree.</summary>
public sealed class RedisCheckClaimsTests
{
    [SkippableFact]
    public async Task AClaimMadeByANodeWhoseClockIsAhead_StillHoldsForANodeWhoseCheckIsStillValid()
    {
        var prefix = $"test-{Guid.NewGuid():N}:";
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RealParts.RequireRedis());
        var redis = new SharedRedis(connection, new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:InstanceName"] = prefix }).Build());
        // Node A's clock is 5 minutes ahead: by it the check expires in a second; by node B's, in 5 minutes.
        var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(5));
        var onA = new RedisCheckClaims(redis, ahead);
        var onB = new RedisCheckClaims(redis, TimeProvider.System);
        var id = OneTimeUse.Id("altcha", Guid.NewGuid().ToString("N"));
        var expires = ahead.GetUtcNow().AddSeconds(1);
        Assert.Equal("owner-a", await onA.ClaimAsync(id, "owner-a", expires, CancellationToken.None));

        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal("owner-a", await onB.HolderOfAsync(id, CancellationToken.None));
        Assert.Equal("owner-a", await onB.ClaimAsync(id, "owner-b", expires, CancellationToken.None));
        await connection.GetDatabase().KeyDeleteAsync(prefix + "claim:" + id);
    }
}
