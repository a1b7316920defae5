using System.Globalization;
using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage;

/// <summary>
/// The queue: tips' metadata only (never what the tipster wrote). Highest priority first, then the
/// oldest; pages by a keyset cursor so that a deep page costs what the first one does. Every filter
/// is a query parameter of a plain GET form, so each view has a URL an officer can share or save.
/// </summary>
[NoStore]
public sealed class IndexModel(
    AppDbContext db,
    TimeProvider clock,
    IOptions<DeadlineOptions> deadlineOptions,
    IValidator<QueueFilterInput> filterValidator,
    IValidator<IndexModel.SaveInput> saveValidator,
    IMemoryCache cache,
    IConfiguration configuration) : PageModel
{
    public const int PageSize = 50;
    public const int MaxSavedViews = 50;

    public sealed record QueueRow(
        Guid Id,
        DateTime SubmittedAtUtc,
        int Score,
        PriorityReasons Reasons,
        string? NoticeReference,
        string? NoticeName,
        string Desk,
        TipStatus Status,
        string? AssignedTo,
        SourceReliability? SourceGrade,
        InformationCredibility? InformationGrade,
        ThreatToLife ThreatToLife,
        bool AnswerUnread,
        DateTime? FirstActionAtUtc,
        DateTime? FeedbackGivenAtUtc,
        int Files)
    {
        public DeadlineState Acknowledge { get; init; }
        public DeadlineState Feedback { get; init; }

        /// <summary>For the retention flag: when the status last changed, and whether a Supervisor holds the tip.</summary>
        public DateTime StatusChangedAtUtc { get; init; }
        public bool RetentionHeld { get; init; }

        public string? Grade => SourceGrade is { } source && InformationGrade is { } information
            ? string.Create(CultureInfo.InvariantCulture, $"{source}{(int)information}")
            : null;
    }

    public sealed class SaveInput
    {
        public string? Name { get; set; }
        public string? Query { get; set; }
    }

    public sealed class SaveInputValidator : AbstractValidator<SaveInput>
    {
        public SaveInputValidator()
        {
            RuleFor(s => s.Name).NotEmpty().WithMessage("Give the view a name.")
                .MaximumLength(60).WithMessage("A view's name is at most 60 characters.")
                .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("A view's name cannot contain control characters.");
            RuleFor(s => s.Query).MaximumLength(1000).WithMessage("This filter is too long to save (at most 1,000 characters).");
        }
    }

    [BindProperty]
    public SaveInput Save { get; set; } = new();

    public QueueFilterInput Input { get; private set; } = new();
    public QueueFilter Filter { get; private set; } = new();
    public bool FilterIsValid { get; private set; } = true;
    public bool IsSupervisor { get; private set; }
    public bool IsDeepPage { get; private set; }
    public IReadOnlyList<string> DeskChoices { get; private set; } = [];
    public IReadOnlyList<(TipStatus Status, int Count)> StatusCounts { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<QueueRow> Rows { get; private set; } = [];
    public IReadOnlyList<SavedQueueView> SavedViews { get; private set; } = [];

    /// <summary>The cursor of the next page, or null on the last one.</summary>
    public string? NextCursor { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        if (!officer.ReadsTips)
        {
            return Forbid();
        }

        await LoadAsync(officer, QueueFilterInput.Read(Request.Query), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        if (!officer.ReadsTips)
        {
            return Forbid();
        }

        Save.Name = Save.Name?.Trim();
        var query = (Save.Query ?? "").Trim().TrimStart('?');
        var input = QueueFilterInput.Read(query.Length > 1000 ? [] : QueryHelpers.ParseQuery(query));
        input.After = null;
        foreach (var error in (await saveValidator.ValidateAsync(Save, cancellationToken)).Errors)
        {
            ModelState.AddModelError($"{nameof(Save)}.{error.PropertyName}", error.ErrorMessage);
        }

        await LoadAsync(officer, input, cancellationToken);
        if (!FilterIsValid)
        {
            ModelState.AddModelError($"{nameof(Save)}.{nameof(SaveInput.Query)}", "Correct the filter before saving it.");
        }

        if (ModelState.IsValid)
        {
            var name = Save.Name!;
            if (SavedViews.Any(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                ModelState.AddModelError($"{nameof(Save)}.{nameof(SaveInput.Name)}", $"You already have a view named \"{name}\". Choose another name, or delete that view first.");
            }
            else if (SavedViews.Count >= MaxSavedViews)
            {
                ModelState.AddModelError($"{nameof(Save)}.{nameof(SaveInput.Name)}", $"You can keep at most {MaxSavedViews} views. Delete one first.");
            }
        }

        var canonical = Filter.ToQuery().Value?.TrimStart('?') ?? "";
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        db.SavedQueueViews.Add(new SavedQueueView
        {
            OfficerId = officer.Id,
            Name = Save.Name!,
            Query = canonical,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same name saved meanwhile from another tab meets the unique index.
            ModelState.AddModelError($"{nameof(Save)}.{nameof(SaveInput.Name)}", $"You already have a view named \"{Save.Name}\".");
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        return Redirect("/triage" + (canonical.Length == 0 ? "" : "?" + canonical));
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        if (!officer.ReadsTips)
        {
            return Forbid();
        }

        var officerId = officer.Id;
        var deleted = await db.SavedQueueViews.Where(v => v.Id == id && v.OfficerId == officerId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NotFound() : Redirect("/triage");
    }

    private async Task LoadAsync(CurrentOfficer officer, QueueFilterInput input, CancellationToken cancellationToken)
    {
        IsSupervisor = officer.IsSupervisor;
        Input = input;
        var officerId = officer.Id;
        SavedViews = await db.SavedQueueViews.AsNoTracking()
            .Where(v => v.OfficerId == officerId)
            .OrderBy(v => v.Name)
            .ToListAsync(cancellationToken);
        DeskChoices = officer.IsSupervisor
            ? [.. (await db.OfficerDesks.Select(d => d.Desk).Distinct().ToListAsync(cancellationToken)).Append(Tip.GeneralDesk).Distinct().Order(StringComparer.Ordinal)]
            : [.. officer.Desks.Order(StringComparer.Ordinal)];

        foreach (var error in (await filterValidator.ValidateAsync(input, cancellationToken)).Errors)
        {
            ModelState.AddModelError($"filter.{error.PropertyName}", error.ErrorMessage);
        }

        if (!ModelState.IsValid)
        {
            FilterIsValid = ModelState.Keys.All(k => !k.StartsWith("filter.", StringComparison.Ordinal));
        }

        if (!FilterIsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Filter = QueueFilter.Of(input);
        int? noticeId = null;
        if (Filter.Notice is { } reference)
        {
            noticeId = await db.Notices.Where(n => n.Reference == reference).Select(n => (int?)n.Id).FirstOrDefaultAsync(cancellationToken);
            if (noticeId is null)
            {
                ModelState.AddModelError("filter.Notice", $"No notice has the reference \"{reference}\".");
                FilterIsValid = false;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var options = deadlineOptions.Value;
        var visible = db.Tips.AsNoTracking().VisibleTo(db, officer);

        var counts = await CountsAsync(Filter.Apply(visible, officer, noticeId, now, options, withStatus: false), officer, cancellationToken);
        StatusCounts = [.. Enum.GetValues<TipStatus>().Select(s => (s, counts.GetValueOrDefault(s)))];
        Total = Filter.Statuses.Count == 0
            ? StatusCounts.Sum(c => c.Count)
            : StatusCounts.Where(c => Filter.Statuses.Contains(c.Status)).Sum(c => c.Count);

        var query = Filter.Apply(visible, officer, noticeId, now, options);
        QueueCursor? cursor = null;
        if (input.After is not null && QueueCursor.TryParse(input.After, out var after))
        {
            IsDeepPage = true;
            cursor = after;
        }

        var keys = await QueueCursor.PageAsync(query, cursor, PageSize + 1, cancellationToken);
        if (keys.Count > PageSize)
        {
            keys.RemoveAt(PageSize);
            NextCursor = keys[^1].ToString();
        }

        // The page's rows are read by id once the order is settled, so the database joins and counts
        // for these rows only, never for the rows it skipped over.
        var ids = keys.Select(k => k.Id).ToList();
        var found = await db.Tips.AsNoTracking()
            .Where(t => ids.Contains(t.Id))
            .Select(t => new QueueRow(
                t.Id,
                t.SubmittedAtUtc,
                t.PriorityScore,
                t.PriorityReasons,
                t.Notice == null ? null : t.Notice.Reference,
                t.Notice == null ? null : t.Notice.FamilyName + ", " + t.Notice.Forenames,
                t.Desk,
                t.Status,
                t.AssignedToId == null ? null : db.Users.Where(u => u.Id == t.AssignedToId).Select(u => u.Email).FirstOrDefault(),
                t.SourceGrade,
                t.InformationGrade,
                t.ThreatToLife,
                t.AnswerUnread,
                t.FirstActionAtUtc,
                t.FeedbackGivenAtUtc,
                t.Attachments.Count())
            {
                StatusChangedAtUtc = t.StatusChangedAtUtc,
                RetentionHeld = t.RetentionHeldAtUtc != null,
            })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var rows = keys.Where(k => found.ContainsKey(k.Id)).Select(k => found[k.Id]).ToList();

        Rows = [.. rows.Select(r => r with
        {
            Acknowledge = TipDeadlines.Acknowledge(r.SubmittedAtUtc, r.FirstActionAtUtc, now, options),
            Feedback = TipDeadlines.Feedback(r.SubmittedAtUtc, r.FeedbackGivenAtUtc, r.Status, now, options),
        })];
    }

    /// <summary>
    /// Tips per status under the current filter without its status part. Counting a million rows is
    /// a scan however it is indexed, so the counts of one scope and filter are kept for a few seconds
    /// (<c>Queue:CountsCacheSeconds</c>): an officer paging or switching status reads them once.
    /// </summary>
    private async Task<Dictionary<TipStatus, int>> CountsAsync(IQueryable<Tip> tips, CurrentOfficer officer, CancellationToken cancellationToken)
    {
        var seconds = configuration.GetValue("Queue:CountsCacheSeconds", 30);
        var scope = officer.IsSupervisor ? "*" : string.Join(",", officer.Desks.Order(StringComparer.Ordinal));
        if (Filter.Assigned != QueueFilter.Anyone)
        {
            scope += "|" + officer.Id;
        }

        var key = $"queue-counts|{scope}|{Filter.ToQuery(withStatus: false)}";
        if (seconds > 0 && cache.TryGetValue<Dictionary<TipStatus, int>>(key, out var cached) && cached is not null)
        {
            return cached;
        }

        var counts = await tips
            .GroupBy(t => t.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.Status, c => c.Count, cancellationToken);
        if (seconds > 0)
        {
            cache.Set(key, counts, TimeSpan.FromSeconds(seconds));
        }

        return counts;
    }

    /// <summary>The first page of the current filter.</summary>
    public string FirstPageUrl => UrlOf(Filter.ToQuery());

    public string NextPageUrl => UrlOf(Filter.ToQuery().Add("after", NextCursor!));

    /// <summary>The current filter narrowed to one status (from the counts).</summary>
    public string StatusUrl(TipStatus status) => UrlOf(QueryString.Create("status", status.ToString()).Add(Filter.ToQuery(withStatus: false)));

    public string AllStatusesUrl => UrlOf(Filter.ToQuery(withStatus: false));

    public string CanonicalQuery => Filter.ToQuery().Value?.TrimStart('?') ?? "";

    public static string UrlOf(QueryString query) => "/triage" + query.ToUriComponent();

    public bool ErrorFor(string field) => ModelState.TryGetValue($"filter.{field}", out var entry) && entry.Errors.Count > 0;
}
