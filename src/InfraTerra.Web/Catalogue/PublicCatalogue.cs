using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.Extensions.Primitives;

namespace InfraTerra.Web.Catalogue;

/// <summary>
/// This node's copy of the public catalogue (<see cref="CatalogueSnapshot"/>, ADR 0008). Read at the
/// first request; read again before the next request once this node saves a change to public data
/// (<see cref="PublicDataChanges"/>), so its own changes show at once, and so do another node's when
/// Redis carries them (<see cref="Infrastructure.Caching.RedisNoticeChannel"/> signals the same); and
/// read again in the background when <see cref="CatalogueRefresher"/> finds the database's
/// <see cref="CatalogueVersion"/> moved (another node's change, without Redis), within <c>Catalogue:RefreshSeconds</c>. When the database cannot be reached, the copy
/// held is kept and served: the public pages outlive the database.
/// </summary>
public sealed class PublicCatalogue
{
    private readonly IServiceScopeFactory _scopes;
    private readonly NoticeVisibility _visibility;
    private readonly TimeProvider _clock;
    private readonly ILogger<PublicCatalogue> _logger;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private CatalogueSnapshot? _current;
    private long _changes;
    private long _currentChanges = -1;
    private DateTime _retryAfterUtc = DateTime.MinValue;

    public PublicCatalogue(IServiceScopeFactory scopes, NoticeVisibility visibility, PublicDataChanges changes, TimeProvider clock, ILogger<PublicCatalogue> logger)
    {
        _scopes = scopes;
        _visibility = visibility;
        _clock = clock;
        _logger = logger;
        ChangeToken.OnChange(() => changes.Token, () => Interlocked.Increment(ref _changes));
    }

    /// <summary>After a failed read, requests keep the copy held for this long before the database is tried again.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>The copy held, without waiting (null before the first read).</summary>
    public CatalogueSnapshot? Current => Volatile.Read(ref _current);

    /// <summary>The current copy; read first if there is none yet or this node changed public data since.</summary>
    public ValueTask<CatalogueSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && (Volatile.Read(ref _currentChanges) == Interlocked.Read(ref _changes) || _clock.GetUtcNow().UtcDateTime < _retryAfterUtc))
        {
            return ValueTask.FromResult(current);
        }

        return new ValueTask<CatalogueSnapshot>(ReloadAsync(force: false, cancellationToken));
    }

    /// <summary>Reads the catalogue again if the database's version moved; what the background refresh calls.</summary>
    public async Task RefreshIfChangedAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is null)
        {
            await ReloadAsync(force: true, cancellationToken);
            return;
        }

        await using var scope = _scopes.CreateAsyncScope();
        var version = await CatalogueLoader.VersionAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), cancellationToken);
        if (version != current.Version)
        {
            await ReloadAsync(force: true, cancellationToken);
        }
    }

    /// <summary>Reads the catalogue again unconditionally (the periodic safety net for edits no version catches).</summary>
    public Task ReloadNowAsync(CancellationToken cancellationToken) => ReloadAsync(force: true, cancellationToken);

    private async Task<CatalogueSnapshot> ReloadAsync(bool force, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            var current = Volatile.Read(ref _current);
            var changes = Interlocked.Read(ref _changes);
            if (!force && current is not null && Volatile.Read(ref _currentChanges) == changes)
            {
                // Another request read it while this one waited.
                return current;
            }

            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var started = _clock.GetTimestamp();
                var snapshot = await CatalogueLoader.LoadAsync(db, _visibility, _clock.GetUtcNow().UtcDateTime, cancellationToken);
                Volatile.Write(ref _current, snapshot);
                Volatile.Write(ref _currentChanges, changes);
                _logger.LogInformation("Public catalogue read: {Published} published notices in {Milliseconds} ms",
                    snapshot.PublishedCount, (int)_clock.GetElapsedTime(started).TotalMilliseconds);
                return snapshot;
            }
            catch (Exception exception) when (current is not null && exception is not OperationCanceledException)
            {
                _retryAfterUtc = _clock.GetUtcNow().UtcDateTime + RetryDelay;
                _logger.LogWarning(exception, "The public catalogue could not be read again; the copy read at {BuiltAt:o} is served", current.BuiltAtUtc);
                return current;
            }
        }
        finally
        {
            _loading.Release();
        }
    }
}

/// <summary>
/// Keeps this node's catalogue in step with changes saved by other nodes: every
/// <c>Catalogue:RefreshSeconds</c> (default 30, at most the output cache's 60) it compares the database's
/// <see cref="CatalogueVersion"/> with the copy's, and every <c>Catalogue:FullReloadMinutes</c> (default 10)
/// it reads the catalogue again regardless.
/// </summary>
public sealed class CatalogueRefresher(PublicCatalogue catalogue, IConfiguration configuration, TimeProvider clock, ILogger<CatalogueRefresher> logger) : BackgroundService
{
    public const int DefaultRefreshSeconds = 30;
    public const int DefaultFullReloadMinutes = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Catalogue:RefreshSeconds", DefaultRefreshSeconds), 1, 60));
        var fullReload = TimeSpan.FromMinutes(Math.Clamp(configuration.GetValue("Catalogue:FullReloadMinutes", DefaultFullReloadMinutes), 1, 24 * 60));
        var lastFullReload = clock.GetTimestamp();
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (clock.GetElapsedTime(lastFullReload) >= fullReload)
                {
                    lastFullReload = clock.GetTimestamp();
                    await catalogue.ReloadNowAsync(stoppingToken);
                }
                else
                {
                    await catalogue.RefreshIfChangedAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database is away: keep serving the copy held, try again at the next tick.
                logger.LogWarning(exception, "The public catalogue's version could not be read");
            }
        }
    }
}
