using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage;

/// <summary>What an officer may do with a tip.</summary>
public enum TipAccessLevel
{
    /// <summary>Answer 404: its existence is not revealed.</summary>
    None,

    /// <summary>A desk that forwarded the tip away keeps reading it.</summary>
    Read,

    /// <summary>The tip's own desk, or a Supervisor.</summary>
    Act,
}

/// <summary>
/// Desk visibility, in one place: Supervisors see every desk; Officers see the tips of their desks
/// and those their desks forwarded away; an Administrator without either role sees none.
/// </summary>
public static class TipAccess
{
    public static IQueryable<Tip> VisibleTo(this IQueryable<Tip> tips, AppDbContext db, CurrentOfficer officer)
    {
        if (officer.IsSupervisor)
        {
            return tips;
        }

        if (!officer.IsOfficer || officer.Desks.Count == 0)
        {
            return tips.Where(_ => false);
        }

        var desks = officer.Desks.ToList();
        return tips.Where(t => desks.Contains(t.Desk) || db.TipDeskShares.Any(s => s.TipId == t.Id && desks.Contains(s.Desk)));
    }

    public static async Task<TipAccessLevel> LevelAsync(AppDbContext db, CurrentOfficer officer, Tip tip, CancellationToken cancellationToken)
    {
        if (officer.IsSupervisor || (officer.IsOfficer && officer.Desks.Contains(tip.Desk)))
        {
            return TipAccessLevel.Act;
        }

        if (!officer.IsOfficer || officer.Desks.Count == 0)
        {
            return TipAccessLevel.None;
        }

        var desks = officer.Desks.ToList();
        return await db.TipDeskShares.AnyAsync(s => s.TipId == tip.Id && desks.Contains(s.Desk), cancellationToken)
            ? TipAccessLevel.Read
            : TipAccessLevel.None;
    }
}
