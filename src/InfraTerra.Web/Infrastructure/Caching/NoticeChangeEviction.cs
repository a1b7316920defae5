using System.Runtime.CompilerServices;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;

namespace InfraTerra.Web.Infrastructure.Caching;

/// <summary>
/// Whatever code saves a change to a notice, its photos, warrants, translations or operations,
/// the cached public pages are dropped right after the commit: everywhere when the output cache
/// lives in Redis, else this node's (other nodes' entries expire within <see cref="PublicCache.Lifetime"/>).
/// This node's in-memory copies are signalled, and the other nodes are told (<see cref="INoticeChangeBroadcast"/>:
/// at once with Redis, else they find out within <c>Catalogue:RefreshSeconds</c>). A Redis that cannot
/// be reached does not undo or fail the saved change: it is logged, and the other nodes catch up later.
/// </summary>
public sealed class NoticeChangeEviction(IOutputCacheStore store, PublicDataChanges changes, INoticeChangeBroadcast broadcast, ILogger<NoticeChangeEviction> logger)
    : SaveChangesInterceptor
{
    private static readonly HashSet<Type> PublicTypes =
        [typeof(Notice), typeof(NoticePhoto), typeof(Warrant), typeof(NoticeTranslation), typeof(Operation)];

    // One interceptor serves every context: remember per context whether its save touches public data.
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Remember(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Remember(eventData.Context);
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _pending.Remove(context))
        {
            await EvictAsync(cancellationToken);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && _pending.Remove(context))
        {
            EvictAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }
    }

    /// <summary>For bulk updates that bypass the change tracker (ExecuteUpdate/ExecuteDelete).</summary>
    public async ValueTask EvictAsync(CancellationToken cancellationToken)
    {
        changes.Signal();
        try
        {
            await store.EvictByTagAsync(PublicCache.NoticesTag, cancellationToken);
            await broadcast.PublishAsync(cancellationToken);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            logger.LogWarning("A notice change could not be passed on to the shared cache or the other nodes ({ErrorType})", e.GetType().Name);
        }
    }

    private void Remember(DbContext? context)
    {
        if (context is not null && TouchesPublicData(context))
        {
            _pending.AddOrUpdate(context, this);
        }
    }

    private static bool TouchesPublicData(DbContext? context) =>
        context is not null && context.ChangeTracker.Entries()
            .Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && (PublicTypes.Contains(e.Metadata.ClrType) || e.Metadata.Name == "OperationNotices"));
}
