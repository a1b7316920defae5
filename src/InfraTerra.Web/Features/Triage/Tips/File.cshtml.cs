using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Tips;

/// <summary>
/// A tip's file, the cleaned copy, for officers who may read the tip; audited. Whatever a file
/// holds, the browser is told not to guess its type, not to keep it, and to run nothing in it;
/// a PDF is always a download, never opened in the portal's origin.
/// </summary>
public sealed class FileModel(AppDbContext db, TipStore store) : PageModel
{
    public const string SandboxPolicy = "default-src 'none'; sandbox";

    public async Task<IActionResult> OnGetAsync(Guid id, int position, string? download, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var tip = await db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tip is null || await TipAccess.LevelAsync(db, officer, tip, cancellationToken) == TipAccessLevel.None)
        {
            return NotFound();
        }

        var attachment = await db.TipAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.TipId == id && a.Position == position, cancellationToken);
        if (attachment is null)
        {
            return NotFound();
        }

        // ?download=1 (a bool would not bind "1").
        var inline = download is not ("1" or "true") && attachment.ContentType.StartsWith("image/", StringComparison.Ordinal);
        var subject = attachment.Position.ToString(CultureInfo.InvariantCulture);
        var content = await store.OpenAttachmentAsync(
            tip, attachment,
            new AuditEntry(officer.Actor, inline ? AuditActions.AttachmentViewed : AuditActions.AttachmentDownloaded, id, subject),
            cancellationToken);

        var headers = Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = SandboxPolicy;
        if (inline)
        {
            headers.ContentDisposition = "inline";
            return File(content, attachment.ContentType);
        }

        return File(content, attachment.ContentType, FileName(id, attachment.Position, attachment.ContentType));
    }

    private static string FileName(Guid tipId, int position, string contentType) =>
        string.Create(CultureInfo.InvariantCulture, $"tip-{tipId.ToString("N")[..8]}-file-{position}{Extension(contentType)}");

    private static string Extension(string contentType) => contentType switch
    {
        "application/pdf" => ".pdf",
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/webp" => ".webp",
        _ => "",
    };

}
