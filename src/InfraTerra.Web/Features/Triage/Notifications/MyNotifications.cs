using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notifications;

public static class MyNotifications
{
    /// <summary>
    /// The officer's own notifications about tips they can still see: one about a tip whose desk they
    /// left, or that was forwarded beyond their desks, would lead to a 404, so it is not shown or counted.
    /// </summary>
    public static IQueryable<OfficerNotification> Of(AppDbContext db, CurrentOfficer officer)
    {
        var visible = db.Tips.VisibleTo(db, officer);
        return db.OfficerNotifications.Where(n => n.OfficerId == officer.Id && n.TipId != null && visible.Any(t => t.Id == n.TipId));
    }
}

/// <summary>
/// The unread count in the header. Only officer pages show it (pages that need a signed-in officer
/// who reads tips): public pages stay the same for everyone, and cacheable.
/// </summary>
public sealed class UnreadNotifications(AppDbContext db)
{
    /// <summary>Null on any page that is not an officer page.</summary>
    public async Task<int?> ForOfficerPageAsync(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<IAuthorizeData>() is null || metadata.GetMetadata<IAllowAnonymous>() is not null
            || CurrentOfficer.Find(http) is not { ReadsTips: true } officer)
        {
            return null;
        }

        return await MyNotifications.Of(db, officer).CountAsync(n => n.ReadAtUtc == null, http.RequestAborted);
    }
}
