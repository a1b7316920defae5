using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Catalogue;

/// <summary>Reads the published notices into a <see cref="CatalogueSnapshot"/>, and the cheap <see cref="CatalogueVersion"/> that says when to read again.</summary>
public static class CatalogueLoader
{
    public static async Task<CatalogueSnapshot> LoadAsync(AppDbContext db, NoticeVisibility visibility, DateTime nowUtc, CancellationToken cancellationToken)
    {
        // Taken first: a change saved while the rest is read moves the version past this copy's, and is read next time.
        var version = await VersionAsync(db, cancellationToken);
        var notices = await db.Notices.AsNoTracking().Where(n => n.IsPublished).ToListAsync(cancellationToken);
        var byId = notices.ToDictionary(n => n.Id);
        var published = db.Notices.Where(n => n.IsPublished);

        foreach (var warrant in await db.Warrants.AsNoTracking().Where(w => published.Any(n => n.Id == w.NoticeId))
            .OrderBy(w => w.Id).ToListAsync(cancellationToken))
        {
            byId[warrant.NoticeId].Warrants.Add(warrant);
        }

        foreach (var translation in await db.Set<NoticeTranslation>().AsNoTracking().Where(t => published.Any(n => n.Id == t.NoticeId))
            .OrderBy(t => t.Id).ToListAsync(cancellationToken))
        {
            byId[translation.NoticeId].Translations.Add(translation);
        }

        // Photo bytes stay in the database (NoticePhotoEndpoint): only what pages and the API say about them.
        var photos = await db.NoticePhotos.AsNoTracking().Where(p => published.Any(n => n.Id == p.NoticeId)).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.NoticeId, p.ContentType, p.Width, p.Height, p.AltText })
            .ToListAsync(cancellationToken);
        foreach (var p in photos)
        {
            byId[p.NoticeId].Photos.Add(new NoticePhoto { Id = p.Id, NoticeId = p.NoticeId, ContentType = p.ContentType, Width = p.Width, Height = p.Height, AltText = p.AltText });
        }

        var operations = await db.Operations.AsNoTracking().OrderBy(o => o.Id).ToListAsync(cancellationToken);
        var operationsById = operations.ToDictionary(o => o.Id);
        var memberships = await published.SelectMany(n => n.Operations, (n, o) => new { NoticeId = n.Id, OperationId = o.Id })
            .ToListAsync(cancellationToken);
        foreach (var membership in memberships.OrderBy(m => operationsById[m.OperationId].Name, StringComparer.Ordinal))
        {
            byId[membership.NoticeId].Operations.Add(operationsById[membership.OperationId]);
        }

        return new CatalogueSnapshot(notices, operations, version, visibility, nowUtc);
    }

    /// <summary>A handful of aggregates over the public tables: one round trip each, no rows.</summary>
    public static async Task<CatalogueVersion> VersionAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var notices = db.Notices.AsNoTracking();
        var summary = await notices.GroupBy(_ => 1).Select(g => new
        {
            Count = g.Count(),
            Published = g.Count(n => n.IsPublished),
            StatusSum = g.Sum(n => (long)n.Status),
            LastUpdated = g.Max(n => (DateTime?)n.UpdatedAtUtc),
            LastStatusChange = g.Max(n => (DateTime?)n.StatusChangedAtUtc),
        }).SingleOrDefaultAsync(cancellationToken);
        var photos = await db.NoticePhotos.GroupBy(_ => 1).Select(g => new { Count = g.Count(), Last = g.Max(p => (int?)p.Id) }).SingleOrDefaultAsync(cancellationToken);
        var warrants = await db.Warrants.GroupBy(_ => 1).Select(g => new { Count = g.Count(), Last = g.Max(w => (int?)w.Id) }).SingleOrDefaultAsync(cancellationToken);
        var translations = await db.Set<NoticeTranslation>().GroupBy(_ => 1).Select(g => new { Count = g.Count(), Last = g.Max(t => (int?)t.Id) }).SingleOrDefaultAsync(cancellationToken);
        var operations = await db.Operations.GroupBy(_ => 1).Select(g => new { Count = g.Count(), Last = g.Max(o => (int?)o.Id) }).SingleOrDefaultAsync(cancellationToken);
        var memberships = await notices.SelectMany(n => n.Operations).CountAsync(cancellationToken);
        return new CatalogueVersion(
            summary?.Count ?? 0, summary?.Published ?? 0, summary?.StatusSum ?? 0, summary?.LastUpdated, summary?.LastStatusChange,
            photos?.Count ?? 0, photos?.Last, warrants?.Count ?? 0, warrants?.Last, translations?.Count ?? 0, translations?.Last,
            operations?.Count ?? 0, operations?.Last, memberships);
    }
}
