using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Admin;

/// <summary>Every officer account, with what an administrator checks first: roles, desks, second factor, lockout, disabled.</summary>
[NoStore]
public sealed class IndexModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public sealed record AccountRow(
        string Id, string Email, IReadOnlyList<string> Roles, IReadOnlyList<string> Desks,
        bool SecondFactor, bool LockedOut, bool Disabled, bool MustChangePassword);

    public IReadOnlyList<AccountRow> Accounts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Accounts = await LoadAsync(db, clock.GetUtcNow(), cancellationToken);
    }

    public static async Task<IReadOnlyList<AccountRow>> LoadAsync(AppDbContext db, DateTimeOffset now, CancellationToken cancellationToken, string? onlyId = null)
    {
        var users = await db.Users.AsNoTracking()
            .Where(u => onlyId == null || u.Id == onlyId)
            .OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.TwoFactorEnabled, u.LockoutEnd, u.DisabledAtUtc, u.MustChangePassword })
            .ToListAsync(cancellationToken);
        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, Role = r.Name! })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.UserId, x => x.Role);
        var desks = (await db.OfficerDesks.Where(d => ids.Contains(d.UserId)).ToListAsync(cancellationToken))
            .ToLookup(d => d.UserId, d => d.Desk);
        return [.. users.Select(u => new AccountRow(
            u.Id, u.Email ?? u.Id,
            [.. Domain.Roles.All.Where(r => roles[u.Id].Contains(r))],
            [.. desks[u.Id].Order(StringComparer.Ordinal)],
            u.TwoFactorEnabled,
            u.LockoutEnd is { } end && end > now,
            u.DisabledAtUtc is not null,
            u.MustChangePassword))];
    }
}
