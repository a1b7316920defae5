using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Clusters;

/// <summary>
/// One cluster on one page: the sightings of one fugitive in date order, each with its place
/// (opened, and audited as a read of that tip), beside the notice. Only the tips the officer may
/// see are listed and counted: an officer never learns of tips on desks they cannot see, and a
/// cluster with none of them is a 404 as if it did not exist.
/// </summary>
[NoStore]
public sealed class ClusterDetailsModel(AppDbContext db, TipStore store, AuditLog auditLog) : PageModel
{
    /// <summary>A page stays one page: beyond this many sightings the oldest are listed and the rest counted.</summary>
    public const int MaxListed = 500;

    public sealed record Sighting(Guid TipId, DateOnly? SightedOn, bool Approximate, string? Country, string? Place, TipStatus Status, DateTime SubmittedAtUtc);

    public Guid ClusterId { get; private set; }
    public Notice? Notice { get; private set; }
    public int? NoticePhotoId { get; private set; }
    public IReadOnlyList<Sighting> Sightings { get; private set; } = [];

    /// <summary>Tips of the cluster this officer may see (may be more than listed).</summary>
    public int VisibleCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var cluster = await db.TipClusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (cluster is null)
        {
            return NotFound();
        }

        var visible = db.Tips.AsNoTracking().VisibleTo(db, officer).Where(t => t.ClusterId == id);
        VisibleCount = await visible.CountAsync(cancellationToken);
        if (VisibleCount == 0)
        {
            return NotFound();
        }

        var tips = await visible
            .OrderBy(t => t.SightedOn == null).ThenBy(t => t.SightedOn).ThenBy(t => t.SubmittedAtUtc).ThenBy(t => t.Id)
            .Take(MaxListed)
            .ToListAsync(cancellationToken);
        Sightings = [.. tips.Select(t =>
        {
            var content = store.OpenContent(t);
            return new Sighting(t.Id, t.SightedOn, content.SightingDateIsApproximate, t.SightingCountry, content.Place, t.Status, t.SubmittedAtUtc);
        })];

        ClusterId = id;
        if (cluster.NoticeId is { } noticeId)
        {
            Notice = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.Id == noticeId, cancellationToken);
            NoticePhotoId = await db.NoticePhotos.AsNoTracking().Where(p => p.NoticeId == noticeId).OrderBy(p => p.Id)
                .Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"cluster {id:N}");
        await auditLog.RecordAllAsync([.. Sightings.Select(s => new AuditEntry(officer.Actor, AuditActions.ListedInCluster, s.TipId, Detail: detail))], cancellationToken);
        return Page();
    }
}
