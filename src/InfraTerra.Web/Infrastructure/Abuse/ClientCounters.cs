using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace InfraTerra.Web.Infrastructure.Abuse;

/// <summary>
/// Counters per client key that expire a while after their last change (the follow-up guard's
/// failures, the sign-in guard's attempts): in Redis when there is one, so that every node counts
/// together, else in this node's memory. Each operation is atomic on its own, across nodes too.
/// Keys hold only <see cref="ClientKeys"/> hashes.
/// </summary>
public interface IClientCounters
{
    Task<long> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Adds one and keeps the counter for <paramref name="window"/> from now; the new value.</summary>
    Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Adds one only while the counter is below <paramref name="limit"/>; false (and nothing added) when it is not.</summary>
    Task<bool> TryIncrementBelowAsync(string key, long limit, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Takes one back if the counter is above zero.</summary>
    Task DecrementAsync(string key, TimeSpan window, CancellationToken cancellationToken);
}

public sealed class MemoryClientCounters(IMemoryCache cache) : IClientCounters
{
    private readonly Lock _gate = new();

    public Task<long> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(cache.Get<long>(key));

    public Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var value = cache.Get<long>(key) + 1;
            cache.Set(key, value, window);
            return Task.FromResult(value);
        }
    }

    public Task<bool> TryIncrementBelowAsync(string key, long limit, TimeSpan window, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var value = cache.Get<long>(key);
            if (value >= limit)
            {
                return Task.FromResult(false);
            }

            cache.Set(key, value + 1, window);
            return Task.FromResult(true);
        }
    }

    public Task DecrementAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (cache.Get<long>(key) is > 0 and var value)
            {
                cache.Set(key, value - 1, window);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>The counters as Redis integers under the app's prefix, each change one Lua script (atomic on the server).</summary>
public sealed class RedisClientCounters(SharedRedis redis) : IClientCounters
{
    private const string Increment = """
        local n = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return n
        """;

    private const string IncrementBelow = """
        local n = tonumber(redis.call('GET', KEYS[1]) or '0')
        if n >= tonumber(ARGV[2]) then return 0 end
        redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """;

    private const string Decrement = """
        local n = tonumber(redis.call('GET', KEYS[1]) or '0')
        if n > 0 then
          redis.call('DECR', KEYS[1])
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        return 0
        """;

    public async Task<long> GetAsync(string key, CancellationToken cancellationToken)
    {
        var value = await redis.Database.StringGetAsync(key);
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken) =>
        (long)await redis.Database.ScriptEvaluateAsync(Increment, [key], [Milliseconds(window)]);

    public async Task<bool> TryIncrementBelowAsync(string key, long limit, TimeSpan window, CancellationToken cancellationToken) =>
        (long)await redis.Database.ScriptEvaluateAsync(IncrementBelow, [key], [Milliseconds(window), limit]) == 1;

    public Task DecrementAsync(string key, TimeSpan window, CancellationToken cancellationToken) =>
        redis.Database.ScriptEvaluateAsync(Decrement, [key], [Milliseconds(window)]);

    private static RedisValue Milliseconds(TimeSpan window) => (long)window.TotalMilliseconds;
}
