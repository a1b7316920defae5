using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace InfraTerra.Web.Catalogue;

public sealed record FilterChoices(
    IReadOnlyList<string> Nationalities, IReadOnlyList<string> WarrantCountries, IReadOnlyList<(string Slug, string Name)> Operations)
{
    public static readonly FilterChoices Empty = new([], [], []);
}

/// <summary>
/// The values worth offering in the filter lists: only countries and operations that have
/// listed notices. Computed at most once a minute per node, and dropped when notices change.
/// </summary>
public sealed class NoticeFilterOptions(IServiceScopeFactory scopes, IMemoryCache cache, PublicDataChanges changes, TimeProvider clock)
{
    private const string CacheKey = "notice-filter-options";

    public async Task<FilterChoices> GetAsync(CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync(CacheKey, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = PublicCache.Lifetime;
            entry.AddExpirationToken(changes.Token);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var visibility = scope.ServiceProvider.GetRequiredService<NoticeVisibility>();
            var listed = db.Notices.AsNoTracking().Where(visibility.ListedAt(clock.GetUtcNow().UtcDateTime));
            var nationalities = (await listed.Select(n => n.Nationalities).ToListAsync(cancellationToken))
                .SelectMany(codes => codes).Distinct().Order().ToList();
            var warrantCountries = await listed.SelectMany(n => n.Warrants.Select(w => w.IssuingCountry))
                .Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
            var operations = await db.Operations.AsNoTracking().OrderBy(o => o.Name)
                .Select(o => new { o.Slug, o.Name }).ToListAsync(cancellationToken);
            return new FilterChoices(nationalities, warrantCountries, [.. operations.Select(o => (o.Slug, o.Name))]);
        }))!;
}
