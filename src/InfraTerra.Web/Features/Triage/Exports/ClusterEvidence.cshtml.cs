using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Exports;

/// <summary>
/// A cluster's evidence package: every tip of the cluster in its own folder, one manifest. Found as
/// the cluster view finds it (no visible tip: 404), then Supervisors only. One audit record for the
/// cluster and one per tip, so each tip's own trail shows that it left in a package.
/// </summary>
[NoStore]
public sealed class ClusterEvidenceModel(AppDbContext db, TipStore store, AuditLog auditLog, TimeProvider clock, IConfiguration configuration) : PageModel
{
    public const int DefaultMaxTips = 200;

    public int MaxTips => Math.Clamp(configuration.GetValue("Exports:MaxClusterTips", DefaultMaxTips), 1, 1000);

    public int? TooMany { get; private set; }

    public Guid ClusterId { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        ClusterId = id;
        var visible = db.Tips.AsNoTracking().VisibleTo(db, officer).Where(t => t.ClusterId == id);
        var tipIds = await visible
            .OrderBy(t => t.SightedOn == null).ThenBy(t => t.SightedOn).ThenBy(t => t.SubmittedAtUtc).ThenBy(t => t.Id)
            .Select(t => t.Id)
            .Take(MaxTips + 1)
            .ToListAsync(cancellationToken);
        if (tipIds.Count == 0)
        {
            return NotFound();
        }

        if (!officer.IsSupervisor)
        {
            return Forbid();
        }

        if (tipIds.Count > MaxTips)
        {
            TooMany = tipIds.Count;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var package = new EvidencePackage(db, store, clock);
        var prepared = await package.PrepareAsync(tipIds, id, officer, cancellationToken);
        var inv = CultureInfo.InvariantCulture;
        var perTip = string.Create(inv, $"cluster {id:N}, manifest sha256 {prepared.ManifestSha256}");
        await auditLog.RecordAllAsync(
        [
            new AuditEntry(officer.Actor, AuditActions.EvidenceExported, Subject: string.Create(inv, $"cluster {id:N}"), Detail: string.Create(inv,
                $"{tipIds.Count} tips, {prepared.FileCount} files ({prepared.AttachmentCount} attached), manifest sha256 {prepared.ManifestSha256}")),
            .. tipIds.Select(t => new AuditEntry(officer.Actor, AuditActions.EvidenceExported, t, Detail: perTip)),
        ], cancellationToken);
        await EvidenceResponse.SendAsync(HttpContext, package, prepared, string.Create(inv, $"evidence-cluster-{id.ToString("N")[..8]}"), cancellationToken);
        return new EmptyResult();
    }
}
