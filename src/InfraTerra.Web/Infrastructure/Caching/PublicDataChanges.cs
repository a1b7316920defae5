using Microsoft.Extensions.Primitives;

namespace InfraTerra.Web.Infrastructure.Caching;

/// <summary>
/// In-memory copies of public data (the filter choices, the catalogue) expire the moment this node
/// saves a change to notices, or hears of another node's through Redis: they take <see cref="Token"/>
/// as an expiration token and <see cref="NoticeChangeEviction"/> (or <see cref="RedisNoticeChannel"/>)
/// signals it, without either knowing the other.
/// </summary>
public sealed class PublicDataChanges
{
    private CancellationTokenSource _current = new();

    public IChangeToken Token => new CancellationChangeToken(Volatile.Read(ref _current).Token);

    public void Signal() => Interlocked.Exchange(ref _current, new CancellationTokenSource()).Cancel();
}
