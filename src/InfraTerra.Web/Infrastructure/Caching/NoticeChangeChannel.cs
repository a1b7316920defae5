using InfraTerra.Web.Infrastructure.SharedState;
using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace InfraTerra.Web.Infrastructure.Caching;

/// <summary>
/// How a change to public data reaches the other nodes at once. Without Redis nothing is sent
/// (<see cref="NoBroadcast"/>): they catch up within <c>Catalogue:RefreshSeconds</c>. With Redis
/// (<see cref="RedisNoticeChannel"/>) the node that saved the change publishes on
/// <c>{prefix}notices-changed</c>; every other node signals <see cref="PublicDataChanges"/> (its
/// in-memory copies, the catalogue included, are read again before its next request) and evicts the
/// shared output cache's tag once more, so that no page it rendered from its old copy in between
/// outlives the message.
/// </summary>
public interface INoticeChangeBroadcast
{
    Task PublishAsync(CancellationToken cancellationToken);
}

public sealed class NoBroadcast : INoticeChangeBroadcast
{
    public Task PublishAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class RedisNoticeChannel(SharedRedis redis, PublicDataChanges changes, IOutputCacheStore store, ILogger<RedisNoticeChannel> logger)
    : INoticeChangeBroadcast, IHostedService
{
    public const string ChannelName = "notices-changed";
    public static readonly TimeSpan SecondEvictionDelay = TimeSpan.FromSeconds(1);

    // Tells this node's own messages apart (two test apps in one process share a node name).
    private readonly string _sender = Guid.NewGuid().ToString("N");

    public async Task PublishAsync(CancellationToken cancellationToken) =>
        await redis.Multiplexer.GetSubscriber().PublishAsync(redis.Channel(ChannelName), _sender);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.Multiplexer.GetSubscriber().SubscribeAsync(redis.Channel(ChannelName), (channel, sender) => _ = OnChangedAsync(sender));
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            // The connection subscribes again once Redis is back; until then the periodic refresh catches up.
            logger.LogWarning("Could not subscribe to the notice changes of other nodes ({ErrorType})", e.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis.Multiplexer.GetSubscriber().UnsubscribeAsync(redis.Channel(ChannelName));

    private async Task OnChangedAsync(RedisValue sender)
    {
        if (sender == _sender)
        {
            return;
        }

        changes.Signal();
        try
        {
            await store.EvictByTagAsync(PublicCache.NoticesTag, CancellationToken.None);
            // A request that read the old copy just before the signal may store its page after that
            // eviction; such renders take milliseconds, so a second eviction a moment later catches them.
            await Task.Delay(SecondEvictionDelay);
            await store.EvictByTagAsync(PublicCache.NoticesTag, CancellationToken.None);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            logger.LogWarning("The public pages could not be evicted after another node's change ({ErrorType})", e.GetType().Name);
        }
    }
}
