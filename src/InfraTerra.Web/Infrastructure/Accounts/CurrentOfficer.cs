using System.Security.Claims;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Accounts;

/// <summary>
/// The signed-in officer as the database says now (not as the cookie said at sign-in): roles and
/// desks changed by an administrator apply at the next request. Loaded by <see cref="OfficerPageFilter"/>
/// on every officer page; a page gets it with <see cref="From(HttpContext)"/>.
/// </summary>
public sealed record CurrentOfficer(string Id, string Email, IReadOnlySet<string> Roles, IReadOnlySet<string> Desks)
{
    private static readonly object ItemKey = new();

    public bool IsOfficer => Roles.Contains(Domain.Roles.Officer);
    public bool IsSupervisor => Roles.Contains(Domain.Roles.Supervisor);
    public bool IsAdministrator => Roles.Contains(Domain.Roles.Administrator);

    /// <summary>Reads tips at all: Officers on their desks, Supervisors on every desk.</summary>
    public bool ReadsTips => IsOfficer || IsSupervisor;

    public AuditActor Actor => new(Id, Email);

    public static CurrentOfficer From(HttpContext http) =>
        http.Items[ItemKey] as CurrentOfficer
        ?? throw new InvalidOperationException("No officer is loaded for this request: is the page under /Triage or /Admin?");

    public static CurrentOfficer? Find(HttpContext http) => http.Items[ItemKey] as CurrentOfficer;

    /// <summary>Null when the account is gone or disabled.</summary>
    public static async Task<CurrentOfficer?> LoadAsync(AppDbContext db, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null)
        {
            return null;
        }

        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == id && u.DisabledAtUtc == null)
            .Select(u => new { u.Id, u.Email })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        var roles = await db.UserRoles.Where(ur => ur.UserId == id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        var desks = await db.OfficerDesks.Where(d => d.UserId == id).Select(d => d.Desk).ToListAsync(cancellationToken);
        return new CurrentOfficer(user.Id, user.Email ?? user.Id, roles.ToHashSet(StringComparer.Ordinal), desks.ToHashSet(StringComparer.Ordinal));
    }

    public void Attach(HttpContext http) => http.Items[ItemKey] = this;
}
