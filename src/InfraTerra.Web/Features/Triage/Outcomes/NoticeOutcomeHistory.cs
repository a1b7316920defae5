using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Outcomes;

/// <summary>
/// What a notice's tips and clusters led to, latest first, for <c>_NoticeOutcomes.cshtml</c>. An
/// Officer sees the outcomes of the tips and clusters they may see, and those whose tips were
/// deleted under retention (nothing left to reveal); a Supervisor sees all.
/// </summary>
public sealed record NoticeOutcomeHistory(string NoticeReference, string NoticeName, IReadOnlyList<NoticeOutcomeHistory.Row> Rows, int Total)
{
    public const int MaxListed = 200;

    public sealed record Row(OutcomeKind Kind, DateOnly OccurredOn, Guid? TipId, Guid? ClusterId, string RecordedBy, DateTime RecordedAtUtc);

    public static async Task<NoticeOutcomeHistory> LoadAsync(AppDbContext db, CurrentOfficer officer, Notice notice, CancellationToken cancellationToken)
    {
        var noticeId = notice.Id;
        var outcomes = db.TipOutcomes.AsNoTracking().Where(o => o.NoticeId == noticeId);
        if (!officer.IsSupervisor)
        {
            var visible = db.Tips.VisibleTo(db, officer);
            outcomes = outcomes.Where(o =>
                (o.TipId == null && o.ClusterId == null)
                || (o.TipId != null && visible.Any(t => t.Id == o.TipId))
                || (o.TipId == null && o.ClusterId != null && visible.Any(t => t.ClusterId == o.ClusterId)));
        }

        var total = await outcomes.CountAsync(cancellationToken);
        var rows = await outcomes
            .OrderByDescending(o => o.OccurredOn).ThenByDescending(o => o.RecordedAtUtc)
            .Take(MaxListed)
            .Select(o => new Row(o.Kind, o.OccurredOn, o.TipId, o.ClusterId,
                db.Users.Where(u => u.Id == o.RecordedById).Select(u => u.Email).FirstOrDefault() ?? "a former officer",
                o.RecordedAtUtc))
            .ToListAsync(cancellationToken);
        return new NoticeOutcomeHistory(notice.Reference, notice.DisplayName, rows, total);
    }
}
