using InfraTerra.Tests.Support;
using StackExchange.Redis;

namespace InfraTerra.Tests.SharedState;

/// <summary>
/// Two apps in this process as two nodes: one SQLite file and one set of keys (the first node's data
/// folder), and, when asked, one Redis under a prefix of their own so that tests sharing the server
/// never meet. The first node starts (and migrates) before the second.
/// </summary>
public sealed class TwoNodes : IDisposable
{
    private TwoNodes(AppFactory a, AppFactory b, string? prefix)
    {
        A = a;
        B = b;
        Prefix = prefix;
    }

    public AppFactory A { get; }
    public AppFactory B { get; }

    /// <summary>The Redis key prefix both nodes use; null without Redis.</summary>
    public string? Prefix { get; }

    public static TwoNodes Start(bool redis, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? []);
        string? prefix = null;
        if (redis)
        {
            prefix = $"test-{Guid.NewGuid():N}:";
            all["ConnectionStrings:Redis"] = RealParts.RequireRedis();
            all["Redis:InstanceName"] = prefix;
        }

        var a = new AppFactory(all);
        _ = a.Services;
        var b = new AppFactory(new Dictionary<string, string?>(all) { ["DataFolder"] = a.DataFolder });
        _ = b.Services;
        return new TwoNodes(a, b, prefix);
    }

    /// <summary>Every key under this pair's prefix.</summary>
    public async Task<List<string>> RedisKeysAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RealParts.RequireRedis());
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: Prefix + "*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }
}
