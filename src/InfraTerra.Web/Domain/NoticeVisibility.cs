using System.Linq.Expressions;

namespace InfraTerra.Web.Domain;

/// <summary>
/// Who may see a notice (docs/architecture.md, "Notice visibility"): Wanted and Located are public;
/// Arrested stays readable, with a banner, for a grace period; Withdrawn is gone at once (410).
/// </summary>
public sealed class NoticeVisibility(TimeSpan arrestedGracePeriod)
{
    public static readonly TimeSpan DefaultArrestedGracePeriod = TimeSpan.FromDays(30);

    /// <summary>How long an arrested person stays listed after the arrest.</summary>
    public TimeSpan ArrestedGracePeriod { get; } = arrestedGracePeriod;

    /// <summary>
    /// The listing rule, with the arrest cutoff (<see cref="ArrestedCutoff"/>) as an argument: the one
    /// definition behind <see cref="ListedAt"/> and the compiled queries, which take the cutoff as a parameter.
    /// </summary>
    public static readonly Expression<Func<Notice, DateTime, bool>> ListedSince = (n, arrestedCutoff) => n.IsPublished
        && (n.Status == NoticeStatus.Wanted
            || n.Status == NoticeStatus.Located
            || (n.Status == NoticeStatus.Arrested && n.StatusChangedAtUtc > arrestedCutoff));

    /// <summary>Arrested notices whose status changed after this instant are still listed.</summary>
    public DateTime ArrestedCutoff(DateTime nowUtc) => nowUtc - ArrestedGracePeriod;

    public Expression<Func<Notice, bool>> ListedAt(DateTime nowUtc)
    {
        var arrestedCutoff = ArrestedCutoff(nowUtc);
        // The captured variable, not a constant, so the database sees a parameter and reuses one query plan.
        Expression<Func<DateTime>> cutoff = () => arrestedCutoff;
        var body = new Substitution(ListedSince.Parameters[1], cutoff.Body).Visit(ListedSince.Body);
        return Expression.Lambda<Func<Notice, bool>>(body, ListedSince.Parameters[0]);
    }

    public PageVisibility PageVisibilityOf(Notice? notice, DateTime nowUtc) =>
        notice is null ? PageVisibility.NotFound : PageVisibilityOf(notice.IsPublished, notice.Status, notice.StatusChangedAtUtc, nowUtc);

    /// <summary>The same rule for a copy of a notice's fields (a cached one): the clock is read per call, never stored.</summary>
    public PageVisibility PageVisibilityOf(bool isPublished, NoticeStatus status, DateTime statusChangedAtUtc, DateTime nowUtc) => (isPublished, status) switch
    {
        (false, _) => PageVisibility.NotFound,
        (_, NoticeStatus.Withdrawn) => PageVisibility.Gone,
        (_, NoticeStatus.Arrested) when statusChangedAtUtc <= nowUtc - ArrestedGracePeriod => PageVisibility.Gone,
        (_, NoticeStatus.Arrested) => PageVisibility.NoLongerSought,
        _ => PageVisibility.Sought,
    };

    /// <summary>Tips are only taken for people still sought.</summary>
    public static bool AcceptsTips(Notice notice) => AcceptsTips(notice.Status);

    public static bool AcceptsTips(NoticeStatus status) => status is NoticeStatus.Wanted or NoticeStatus.Located;
}

public enum PageVisibility
{
    Sought,
    NoLongerSought,
    Gone,
    NotFound,
}

/// <summary>Puts an expression where a lambda's parameter was.</summary>
internal sealed class Substitution(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
{
    protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
}
