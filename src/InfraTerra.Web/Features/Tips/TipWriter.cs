using System.Threading.Channels;
using InfraTerra.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Tips;

/// <summary>
/// Group commit for new tips: one writer takes every tip waiting and stores them in one transaction,
/// so that a burst of tips costs one durable commit instead of one each, and SQLite's writers never
/// queue on its file lock (ADR 0009). Each caller still waits for its own tip's commit: a receipt is
/// shown only once the transaction holding the tip is durable. A batch that fails is retried tip by
/// tip, so one bad tip (a double submit losing its race) never fails the others.
/// </summary>
public sealed class TipWriter(IServiceScopeFactory scopes, ILogger<TipWriter> log) : BackgroundService
{
    /// <summary>Enough to absorb a burst; a full queue makes callers wait, it never drops a tip.</summary>
    private const int QueueCapacity = 1024;
    private const int MaxBatch = 64;

    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Stores <paramref name="entities"/> (a tip and what belongs with it) and returns once they are committed.</summary>
    public async Task WriteAsync(IReadOnlyList<object> entities, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(entities);
        await _queue.Writer.WriteAsync(write, cancellationToken);

        // Not cancellable once queued: the commit happens or fails whether or not this caller still listens.
        await write.Committed.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWrite>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                await CommitAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The web server has drained its requests before the host stops this service; anything
            // still queued is written below rather than dropped.
        }

        _queue.Writer.TryComplete();
        batch.Clear();
        while (_queue.Reader.TryRead(out var write))
        {
            batch.Add(write);
        }

        if (batch.Count > 0)
        {
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        try
        {
            await SaveAsync(batch);
            foreach (var write in batch)
            {
                write.Committed.TrySetResult();
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One at a time, so that each caller gets its own outcome.
            foreach (var write in batch)
            {
                try
                {
                    await SaveAsync([write]);
                    write.Committed.TrySetResult();
                }
                catch (Exception exception)
                {
                    write.Committed.TrySetException(exception);
                }
            }
        }
        catch (Exception exception)
        {
            batch[0].Committed.TrySetException(exception);
        }

        if (batch.Count > 1)
        {
            log.LogDebug("Committed {Count} tips in one transaction", batch.Count);
        }
    }

    private async Task SaveAsync(IReadOnlyList<PendingWrite> writes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var write in writes)
        {
            foreach (var entity in write.Entities)
            {
                db.Add(entity);
            }
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private sealed class PendingWrite(IReadOnlyList<object> entities)
    {
        public IReadOnlyList<object> Entities { get; } = entities;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
