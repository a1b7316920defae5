using System.Buffers;
using System.IO.Pipelines;
using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.AspNetCore.OutputCaching;

namespace InfraTerra.Web.Infrastructure.Caching;

/// <summary>
/// Public pages must keep answering, and fast, while Redis is away: the Redis store would make each
/// request wait for its read and its write to time out (about 12 s a page, measured). While the
/// connection is down this store treats every read as a miss and drops writes and evictions; the
/// entries Redis still holds expire within <see cref="PublicCache.Lifetime"/> of its return.
/// </summary>
public class RedisAwayBypass : IOutputCacheStore
{
    private readonly IOutputCacheStore _inner;
    private readonly SharedRedis _redis;

    protected RedisAwayBypass(IOutputCacheStore inner, SharedRedis redis)
    {
        _inner = inner;
        _redis = redis;
    }

    public static IOutputCacheStore Wrap(IOutputCacheStore inner, SharedRedis redis) =>
        inner is IOutputCacheBufferStore buffered ? new Buffered(buffered, redis) : new RedisAwayBypass(inner, redis);

    protected bool Away => !_redis.Multiplexer.IsConnected;

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        Away ? ValueTask.FromResult<byte[]?>(null) : _inner.GetAsync(key, cancellationToken);

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) =>
        Away ? ValueTask.CompletedTask : _inner.SetAsync(key, value, tags, validFor, cancellationToken);

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) =>
        Away ? ValueTask.CompletedTask : _inner.EvictByTagAsync(tag, cancellationToken);

    private sealed class Buffered(IOutputCacheBufferStore inner, SharedRedis redis) : RedisAwayBypass(inner, redis), IOutputCacheBufferStore
    {
        public ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken) =>
            Away ? ValueTask.FromResult(false) : inner.TryGetAsync(key, destination, cancellationToken);

        public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken) =>
            Away ? ValueTask.CompletedTask : inner.SetAsync(key, value, tags, validFor, cancellationToken);
    }
}
