using System.Linq.Expressions;

namespace InfraTerra.Web.Domain;

/// <summary>
/// Who may see a notice (ARCHITECTURE.md, "Notice visibility"): Wanted and Located are public;
/// Arrested stays readable, with a banner, for a grace period; Withdrawn is gone at once (410).
/// </summary>
public sealed class NoticeVisibility(TimeSpan arrestedGracePeriod)
{
    public static readonly TimeSpan DefaultArrestedGracePeriod = TimeSpan.FromDays(30);

    /// <summary>How long an arrested person stays listed after the arrest.</summary>
    public TimeSpan ArrestedGracePeriod { get; } = arrestedGracePeriod;

    public Expression<Func<Notice, bool>> ListedAt(DateTime nowUtc)
    {
        var arrestedCutoff = nowUtc - ArrestedGracePeriod;
        return n => n.IsPublished
            && (n.Status == NoticeStatus.Wanted
                || n.Status == NoticeStatus.Located
                || (n.Status == NoticeStatus.Arrested && n.StatusChangedAtUtc > arrestedCutoff));
    }

    public PageVisibility PageVisibilityOf(Notice? notice, DateTime nowUtc) => notice switch
    {
        null or { IsPublished: false } => PageVisibility.NotFound,
        { Status: NoticeStatus.Withdrawn } => PageVisibility.Gone,
        { Status: NoticeStatus.Arrested } when notice.StatusChangedAtUtc <= nowUtc - ArrestedGracePeriod => PageVisibility.Gone,
        { Status: NoticeStatus.Arrested } => PageVisibility.NoLongerSought,
        _ => PageVisibility.Sought,
    };

    /// <summary>Tips are only taken for people still sought.</summary>
    public static bool AcceptsTips(Notice notice) => notice.Status is NoticeStatus.Wanted or NoticeStatus.Located;
}

public enum PageVisibility
{
    Sought,
    NoLongerSought,
    Gone,
    NotFound,
}
