using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage;

/// <summary>
/// The queue: tips' metadata only (never what the tipster wrote), in views an officer works from.
/// Threat to life first, then newest; pages by a keyset cursor so that a long queue costs the same
/// on its last page as on its first.
/// </summary>
[NoStore]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<(string Key, string Label)> Views =
    [
        (QueueView.Desks, "My desks"),
        (QueueView.Mine, "Assigned to me"),
        (QueueView.Unassigned, "Unassigned"),
        (QueueView.Unread, "Unread answers"),
    ];

    public sealed record QueueRow(
        Guid Id,
        DateTime SubmittedAtUtc,
        string? NoticeReference,
        string? NoticeName,
        string Desk,
        TipStatus Status,
        string? AssignedTo,
        SourceReliability? SourceGrade,
        InformationCredibility? InformationGrade,
        ThreatToLife ThreatToLife,
        bool AnswerUnread)
    {
        public string? Grade => SourceGrade is { } source && InformationGrade is { } information
            ? string.Create(CultureInfo.InvariantCulture, $"{source}{(int)information}")
            : null;
    }

    [BindProperty(SupportsGet = true)]
    public string? View { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Desk { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    public string CurrentView { get; private set; } = QueueView.Desks;
    public bool IsSupervisor { get; private set; }
    public IReadOnlyList<string> DeskChoices { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();
    public IReadOnlyList<QueueRow> Rows { get; private set; } = [];

    /// <summary>The cursor of the next page, or null on the last one.</summary>
    public string? NextCursor { get; private set; }

    public IReadOnlyList<(string Key, string Label)> ViewList => Views;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        if (!officer.ReadsTips)
        {
            return Forbid();
        }

        IsSupervisor = officer.IsSupervisor;
        CurrentView = Views.Any(v => v.Key == View) ? View! : QueueView.Desks;
        Desk = string.IsNullOrWhiteSpace(Desk) ? null : Desk.Trim().ToUpperInvariant();

        var visible = db.Tips.AsNoTracking().VisibleTo(db, officer);
        if (Desk is not null)
        {
            var desk = Desk;
            visible = visible.Where(t => t.Desk == desk);
        }

        DeskChoices = officer.IsSupervisor
            ? await db.Tips.Select(t => t.Desk).Distinct().OrderBy(d => d).ToListAsync(cancellationToken)
            : [.. officer.Desks.Order(StringComparer.Ordinal)];

        var counts = new Dictionary<string, int>();
        foreach (var (key, _) in Views)
        {
            counts[key] = await QueueView.Apply(visible, key, officer).CountAsync(cancellationToken);
        }

        Counts = counts;

        var query = QueueView.Apply(visible, CurrentView, officer);
        if (QueueCursor.TryParse(Before, out var cursor))
        {
            query = cursor.After(query);
        }

        var rows = await QueueCursor.Order(query)
            .Take(PageSize + 1)
            .Select(t => new QueueRow(
                t.Id,
                t.SubmittedAtUtc,
                t.Notice == null ? null : t.Notice.Reference,
                t.Notice == null ? null : t.Notice.FamilyName + ", " + t.Notice.Forenames,
                t.Desk,
                t.Status,
                t.AssignedToId == null ? null : db.Users.Where(u => u.Id == t.AssignedToId).Select(u => u.Email).FirstOrDefault(),
                t.SourceGrade,
                t.InformationGrade,
                t.ThreatToLife,
                t.AnswerUnread))
            .ToListAsync(cancellationToken);

        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
            NextCursor = QueueCursor.Of(rows[^1]).ToString();
        }

        Rows = rows;
        return Page();
    }

    public string UrlFor(string view, string? before = null)
    {
        var query = QueryString.Empty;
        if (view != QueueView.Desks)
        {
            query = query.Add("view", view);
        }

        if (Desk is not null)
        {
            query = query.Add("desk", Desk);
        }

        if (before is not null)
        {
            query = query.Add("before", before);
        }

        return "/triage" + query.ToUriComponent();
    }
}

/// <summary>The queue's views, by their <c>view</c> query value.</summary>
public static class QueueView
{
    public const string Desks = "desks";
    public const string Mine = "mine";
    public const string Unassigned = "unassigned";
    public const string Unread = "unread";

    public static IQueryable<Tip> Apply(IQueryable<Tip> visible, string view, CurrentOfficer officer)
    {
        var onMyDesks = visible;
        if (!officer.IsSupervisor)
        {
            // A tip forwarded away stays readable, but it is no longer this desk's work.
            var desks = officer.Desks.ToList();
            onMyDesks = visible.Where(t => desks.Contains(t.Desk));
        }

        var id = officer.Id;
        return view switch
        {
            Mine => visible.Where(t => t.AssignedToId == id),
            Unassigned => onMyDesks.Where(t => t.AssignedToId == null),
            Unread => onMyDesks.Where(t => t.AnswerUnread),
            _ => onMyDesks,
        };
    }
}

/// <summary>
/// Where a page of the queue ends: the threat band, the hour and the id of its last row. The next
/// page starts strictly after it, so rows added meanwhile never shift a page (no OFFSET).
/// </summary>
public readonly record struct QueueCursor(bool Threat, DateTime SubmittedAtUtc, Guid Id)
{
    public static IOrderedQueryable<Tip> Order(IQueryable<Tip> tips) => tips
        .OrderByDescending(t => t.ThreatToLife != ThreatToLife.None)
        .ThenByDescending(t => t.SubmittedAtUtc)

        // Within the hour, by the random id: arrival order is a rank a proxy log could re-identify (ADR 0005).
        .ThenBy(t => t.Id);

    public static QueueCursor Of(IndexModel.QueueRow row) => new(row.ThreatToLife != ThreatToLife.None, row.SubmittedAtUtc, row.Id);

    public IQueryable<Tip> After(IQueryable<Tip> tips)
    {
        var at = SubmittedAtUtc;
        var id = Id;
        return Threat
            ? tips.Where(t => t.ThreatToLife == ThreatToLife.None
                || t.SubmittedAtUtc < at || (t.SubmittedAtUtc == at && t.Id.CompareTo(id) > 0))
            : tips.Where(t => t.ThreatToLife == ThreatToLife.None
                && (t.SubmittedAtUtc < at || (t.SubmittedAtUtc == at && t.Id.CompareTo(id) > 0)));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Threat ? 't' : 'n')}{SubmittedAtUtc.Ticks}_{Id:N}");

    public static bool TryParse(string? value, out QueueCursor cursor)
    {
        cursor = default;
        if (value is not { Length: > 2 } || (value[0] != 't' && value[0] != 'n'))
        {
            return false;
        }

        var parts = value[1..].Split('_');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new QueueCursor(value[0] == 't', new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
