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
/// One tip's evidence package (<see cref="EvidencePackage"/>), for Supervisors. The tip is looked up
/// as the tip view does, so a tip the officer may not see is a 404 before the role is checked: an
/// Officer learns nothing from this address that the tip view would not tell them.
/// </summary>
[NoStore]
public sealed class TipEvidenceModel(AppDbContext db, TipStore store, AuditLog auditLog, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var tip = await db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tip is null || await TipAccess.LevelAsync(db, officer, tip, cancellationToken) == TipAccessLevel.None)
        {
            return NotFound();
        }

        if (!officer.IsSupervisor)
        {
            return Forbid();
        }

        var package = new EvidencePackage(db, store, clock);
        var prepared = await package.PrepareAsync([id], null, officer, cancellationToken);
        await auditLog.RecordAsync(
            new AuditEntry(officer.Actor, AuditActions.EvidenceExported, id, Detail: string.Create(CultureInfo.InvariantCulture,
                $"{prepared.FileCount} files ({prepared.AttachmentCount} attached), manifest sha256 {prepared.ManifestSha256}")),
            cancellationToken);
        await EvidenceResponse.SendAsync(HttpContext, package, prepared, string.Create(CultureInfo.InvariantCulture, $"evidence-tip-{id.ToString("N")[..8]}"), cancellationToken);
        return new EmptyResult();
    }
}

/// <summary>The headers and the stream of a package's response.</summary>
public static class EvidenceResponse
{
    public static async Task SendAsync(HttpContext http, EvidencePackage package, EvidencePackage.Prepared prepared, string name, CancellationToken cancellationToken)
    {
        var response = http.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"{name}-{prepared.MadeAtUtc:yyyy-MM-dd}.zip\"");
        response.ContentType = "application/zip";
        try
        {
            await package.WriteAsync(prepared, response.Body, cancellationToken);
        }
        catch (Exception) when (response.HasStarted)
        {
            // A cut ZIP is unreadable anyway; make sure the client sees a failure rather than an end.
            http.Abort();
        }
    }
}
