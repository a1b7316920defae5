using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;

namespace InfraTerra.Web.Features.Triage.Tips;

/// <summary>
/// What the tip view shows of the decisions an officer can take on a tip (claim, status, grade,
/// threat to life, forward), rendered by <c>_Decisions.cshtml</c>.
/// </summary>
public sealed record DecisionsPanel(Guid TipId, TipAccessLevel Access, int Revision)
{
    public static Task<DecisionsPanel> LoadAsync(AppDbContext db, Tip tip, CurrentOfficer officer, TipAccessLevel access, CancellationToken cancellationToken)
    {
        _ = db;
        _ = officer;
        _ = cancellationToken;
        return Task.FromResult(new DecisionsPanel(tip.Id, access, tip.Revision));
    }
}
