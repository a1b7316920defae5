using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.OutputCaching;

namespace InfraTerra.Web.Infrastructure.Telemetry;

/// <summary>
/// Counts the public output cache's look-ups (<see cref="AppMetrics.CacheLookups"/>, result hit or
/// miss) around whichever store is registered. A store that can write into a pipe (Redis's) keeps
/// that faster path: the middleware uses it when the store it is given offers it.
/// </summary>
public class CountingOutputCacheStore : IOutputCacheStore, IAsyncDisposable
{
    private readonly IOutputCacheStore _inner;
    private readonly AppMetrics _metrics;

    protected CountingOutputCacheStore(IOutputCacheStore inner, AppMetrics metrics)
    {
        _inner = inner;
        _metrics = metrics;
    }

    public static IOutputCacheStore Wrap(IOutputCacheStore inner, AppMetrics metrics) =>
        inner is IOutputCacheBufferStore buffered ? new Buffered(buffered, metrics) : new CountingOutputCacheStore(inner, metrics);

    protected void Count(bool hit) =>
        _metrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await _inner.GetAsync(key, cancellationToken);
        Count(entry is not null);
        return entry;
    }

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) =>
        _inner.SetAsync(key, value, tags, validFor, cancellationToken);

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) =>
        _inner.EvictByTagAsync(tag, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        switch (_inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        GC.SuppressFinalize(this);
    }

    private sealed class Buffered(IOutputCacheBufferStore inner, AppMetrics metrics) : CountingOutputCacheStore(inner, metrics), IOutputCacheBufferStore
    {
        public async ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
        {
            var hit = await inner.TryGetAsync(key, destination, cancellationToken);
            Count(hit);
            return hit;
        }

        public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken) =>
            inner.SetAsync(key, value, tags, validFor, cancellationToken);
    }
}
