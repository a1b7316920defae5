using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.Extensions.Primitives;

namespace InfraTerra.Web.Features.Triage;

/// <summary>
/// The queue's filter as the URL carries it: every value a plain string from the query, so that a
/// wrong one is an error on the page instead of a silently dropped parameter or a 500.
/// </summary>
public sealed partial class QueueFilterInput
{
    public const int MaxStatuses = 7;

    public static readonly IReadOnlyList<string> SingleValued =
        ["notice", "desk", "assigned", "deadline", "files", "unread", "source", "information", "threat", "from", "to", "after"];

    public List<string> Status { get; set; } = [];
    public string? Notice { get; set; }
    public string? Desk { get; set; }
    public string? Assigned { get; set; }
    public string? Deadline { get; set; }
    public string? Files { get; set; }
    public string? Unread { get; set; }
    public string? Source { get; set; }
    public string? Information { get; set; }
    public string? Threat { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? After { get; set; }

    /// <summary>Names given more than once where one value is expected.</summary>
    public List<string> Repeated { get; } = [];

    public static QueueFilterInput Read(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var input = new QueueFilterInput();
        foreach (var (rawKey, values) in query)
        {
            var key = rawKey.ToLowerInvariant();
            var given = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
            if (key == "status")
            {
                input.Status.AddRange(given);
                continue;
            }

            if (!SingleValued.Contains(key) || given.Count == 0)
            {
                continue;
            }

            if (given.Distinct(StringComparer.Ordinal).Count() > 1)
            {
                input.Repeated.Add(key);
            }

            var value = given[0];
            switch (key)
            {
                case "notice": input.Notice = value; break;
                case "desk": input.Desk = value; break;
                case "assigned": input.Assigned = value; break;
                case "deadline": input.Deadline = value; break;
                case "files": input.Files = value; break;
                case "unread": input.Unread = value; break;
                case "source": input.Source = value; break;
                case "information": input.Information = value; break;
                case "threat": input.Threat = value; break;
                case "from": input.From = value; break;
                case "to": input.To = value; break;
                case "after": input.After = value; break;
            }
        }

        return input;
    }

    public sealed partial class InputValidator : AbstractValidator<QueueFilterInput>
    {
        public static readonly DateOnly Earliest = new(2000, 1, 1);
        public static readonly DateOnly Latest = new(2100, 12, 31);

        public InputValidator()
        {
            RuleFor(i => i.Repeated).Must(r => r.Count == 0)
                .WithMessage(i => $"Give each filter once: {string.Join(", ", i.Repeated)} was given more than once.");
            RuleFor(i => i.Status).Must(s => s.Count <= MaxStatuses * 2)
                .WithMessage("Too many statuses.");
            RuleForEach(i => i.Status).Must(s => QueueFilter.TryStatus(s, out _))
                .WithMessage((_, s) => $"Unknown status \"{Shorten(s)}\". Choose from {string.Join(", ", Enum.GetNames<TipStatus>())}.");
            RuleFor(i => i.Notice!).MaximumLength(20).Matches(NoticeReference())
                .When(i => i.Notice is not null)
                .WithMessage("A notice reference is up to 20 letters, digits, dashes or slashes, for example 2014-90001.");
            RuleFor(i => i.Desk!).Matches(DeskCode())
                .When(i => i.Desk is not null)
                .WithMessage("A desk is a two-letter country code or GENERAL.");
            RuleFor(i => i.Assigned).Must(a => a is null || QueueFilter.AssignedChoices.Contains(a.ToLowerInvariant()))
                .WithMessage("Assigned is one of: anyone, me, unassigned.");
            RuleFor(i => i.Deadline).Must(d => d is null || QueueFilter.DeadlineChoices.Contains(d.ToLowerInvariant()))
                .WithMessage("Deadline is one of: overdue, due-soon.");
            RuleFor(i => i.Files).Must(f => f is null || f.ToLowerInvariant() is "yes" or "no")
                .WithMessage("Files is yes or no.");
            RuleFor(i => i.Unread).Must(u => u is null || u.ToLowerInvariant() == "yes")
                .WithMessage("Unread answer is yes, or left out.");
            RuleFor(i => i.Threat).Must(t => t is null || t.ToLowerInvariant() == "yes")
                .WithMessage("Threat to life is yes, or left out.");
            RuleFor(i => i.Source).Must(s => s is null || QueueFilter.TrySource(s, out _))
                .WithMessage("Source grade is one of A, B, C, X.");
            RuleFor(i => i.Information).Must(s => s is null || QueueFilter.TryInformation(s, out _))
                .WithMessage("Information grade is one of 1, 2, 3, 4.");
            RuleFor(i => i.From).Must(BeADay)
                .WithMessage($"From is a day written yyyy-mm-dd, between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
            RuleFor(i => i.To).Must(BeADay)
                .WithMessage($"To is a day written yyyy-mm-dd, between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
            RuleFor(i => i.To)
                .Must((i, to) => QueueFilter.TryDay(i.From, out var from) && QueueFilter.TryDay(to, out var until) && from <= until)
                .When(i => i.From is not null && i.To is not null && BeADay(i.From) && BeADay(i.To))
                .WithMessage("From must be on or before To.");
            RuleFor(i => i.After).Must(a => a is null || QueueCursor.TryParse(a, out _))
                .WithMessage("This page link is damaged: start again from the first page.");
        }

        private static bool BeADay(string? value) =>
            value is null || (QueueFilter.TryDay(value, out var day) && day >= Earliest && day <= Latest);

        private static string Shorten(string value) => value.Length <= 20 ? value : value[..20] + "…";

        [GeneratedRegex("^[A-Za-z0-9/-]{1,20}$")]
        private static partial Regex NoticeReference();

        [GeneratedRegex("^([A-Za-z]{2}|(?i:general))$")]
        private static partial Regex DeskCode();
    }
}

/// <summary>A valid queue filter: what the tips are narrowed to, and the canonical URL that says so.</summary>
public sealed record QueueFilter
{
    public const string Anyone = "anyone";
    public const string Me = "me";
    public const string Unassigned = "unassigned";
    public const string Overdue = "overdue";
    public const string DueSoon = "due-soon";

    public static readonly IReadOnlyList<string> AssignedChoices = [Anyone, Me, Unassigned];
    public static readonly IReadOnlyList<string> DeadlineChoices = [Overdue, DueSoon];

    private static readonly IReadOnlyList<TipStatus> Closing = [.. Enum.GetValues<TipStatus>().Where(StatusRules.IsClosing)];

    public IReadOnlyList<TipStatus> Statuses { get; init; } = [];
    public string? Notice { get; init; }
    public string? Desk { get; init; }
    public string Assigned { get; init; } = Anyone;
    public string? Deadline { get; init; }
    public bool? Files { get; init; }
    public bool Unread { get; init; }
    public SourceReliability? Source { get; init; }
    public InformationCredibility? Information { get; init; }
    public bool Threat { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    public bool IsEmpty => this == new QueueFilter();

    /// <summary>Reads an input the validator accepted.</summary>
    public static QueueFilter Of(QueueFilterInput input) => new()
    {
        Statuses = [.. input.Status.Select(s => TryStatus(s, out var status) ? status : throw new ArgumentException(s)).Distinct().Order()],
        Notice = input.Notice?.ToUpperInvariant(),
        Desk = input.Desk?.ToUpperInvariant(),
        Assigned = input.Assigned?.ToLowerInvariant() ?? Anyone,
        Deadline = input.Deadline?.ToLowerInvariant(),
        Files = input.Files?.ToLowerInvariant() switch { "yes" => true, "no" => false, _ => null },
        Unread = input.Unread is not null,
        Source = input.Source is { } s && TrySource(s, out var source) ? source : null,
        Information = input.Information is { } i && TryInformation(i, out var information) ? information : null,
        Threat = input.Threat is not null,
        From = TryDay(input.From, out var from) ? from : null,
        To = TryDay(input.To, out var to) ? to : null,
    };

    /// <summary>The canonical query string (without a page cursor): the same filter always gives the same URL.</summary>
    public QueryString ToQuery(bool withStatus = true)
    {
        var query = QueryString.Empty;
        if (withStatus)
        {
            foreach (var status in Statuses)
            {
                query = query.Add("status", status.ToString());
            }
        }

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query = query.Add(name, value);
            }
        }

        Add("notice", Notice);
        Add("desk", Desk);
        Add("assigned", Assigned == Anyone ? null : Assigned);
        Add("deadline", Deadline);
        Add("files", Files switch { true => "yes", false => "no", null => null });
        Add("unread", Unread ? "yes" : null);
        Add("source", Source?.ToString());
        Add("information", Information is { } i ? ((int)i).ToString(CultureInfo.InvariantCulture) : null);
        Add("threat", Threat ? "yes" : null);
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return query;
    }

    /// <summary>
    /// Narrows the tips an officer may read to this filter. Apart from "assigned to me", which follows
    /// the officer's own tips wherever they went, an Officer's queue is the work of their desks: a tip
    /// their desk forwarded away stays readable but is no longer listed.
    /// </summary>
    public IQueryable<Tip> Apply(IQueryable<Tip> visible, CurrentOfficer officer, int? noticeId, DateTime nowUtc, DeadlineOptions deadlines, bool withStatus = true)
    {
        var tips = visible;
        if (!officer.IsSupervisor && Assigned != Me)
        {
            var desks = officer.Desks.ToList();
            tips = desks.Count == 1 ? tips.Where(t => t.Desk == desks[0]) : tips.Where(t => desks.Contains(t.Desk));
        }

        var officerId = officer.Id;
        tips = Assigned switch
        {
            Me => tips.Where(t => t.AssignedToId == officerId),
            Unassigned => tips.Where(t => t.AssignedToId == null),
            _ => tips,
        };

        if (withStatus && Statuses.Count > 0)
        {
            var statuses = Statuses.ToList();
            tips = statuses.Count == 1 ? tips.Where(t => t.Status == statuses[0]) : tips.Where(t => statuses.Contains(t.Status));
        }

        if (Notice is not null)
        {
            tips = tips.Where(t => t.NoticeId == noticeId);
        }

        if (Desk is not null)
        {
            var desk = Desk;
            tips = tips.Where(t => t.Desk == desk);
        }

        if (Deadline is not null)
        {
            tips = ApplyDeadline(tips, Deadline, nowUtc, deadlines);
        }

        tips = Files switch
        {
            true => tips.Where(t => t.Attachments.Any()),
            false => tips.Where(t => !t.Attachments.Any()),
            null => tips,
        };

        if (Unread)
        {
            tips = tips.Where(t => t.AnswerUnread);
        }

        if (Source is { } source)
        {
            tips = tips.Where(t => t.SourceGrade == source);
        }

        if (Information is { } information)
        {
            tips = tips.Where(t => t.InformationGrade == information);
        }

        if (Threat)
        {
            // A range, not "<> None", so the database can read the few flagged tips from their index.
            tips = tips.Where(t => t.ThreatToLife > ThreatToLife.None);
        }

        if (From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            tips = tips.Where(t => t.SubmittedAtUtc >= start);
        }

        if (To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            tips = tips.Where(t => t.SubmittedAtUtc < end);
        }

        return tips;
    }

    /// <summary>
    /// The same states <see cref="TipDeadlines"/> gives each row, turned into ranges of the submission
    /// time so that the database compares plain columns.
    /// </summary>
    private static IQueryable<Tip> ApplyDeadline(IQueryable<Tip> tips, string deadline, DateTime nowUtc, DeadlineOptions options)
    {
        var closing = Closing.ToList();
        var acknowledgeOverdue = LatestSubmissionDueBy(nowUtc, s => TipDeadlines.AcknowledgeDue(s, options), options.AcknowledgeDays * 1.0);
        var feedbackOverdue = LatestSubmissionDueBy(nowUtc, s => TipDeadlines.FeedbackDue(s, options), options.FeedbackMonths * 31.0);
        if (deadline == Overdue)
        {
            return tips.Where(t =>
                (t.FirstActionAtUtc == null && t.SubmittedAtUtc <= acknowledgeOverdue)
                || (t.FeedbackGivenAtUtc == null && !closing.Contains(t.Status) && t.SubmittedAtUtc <= feedbackOverdue));
        }

        var soon = nowUtc.AddDays(options.DueSoonDays);
        var acknowledgeSoon = LatestSubmissionDueBy(soon, s => TipDeadlines.AcknowledgeDue(s, options), options.AcknowledgeDays * 1.0);
        var feedbackSoon = LatestSubmissionDueBy(soon, s => TipDeadlines.FeedbackDue(s, options), options.FeedbackMonths * 31.0);
        return tips.Where(t =>
            (t.FirstActionAtUtc == null && t.SubmittedAtUtc > acknowledgeOverdue && t.SubmittedAtUtc <= acknowledgeSoon)
            || (t.FeedbackGivenAtUtc == null && !closing.Contains(t.Status) && t.SubmittedAtUtc > feedbackOverdue && t.SubmittedAtUtc <= feedbackSoon));
    }

    /// <summary>
    /// The latest submission time whose deadline falls at or before <paramref name="at"/>. Deadlines
    /// grow with the submission time (months clamp at their end, so not by a fixed span), hence a
    /// search rather than a subtraction.
    /// </summary>
    public static DateTime LatestSubmissionDueBy(DateTime at, Func<DateTime, DateTime> due, double maxSpanDays)
    {
        var low = at.AddDays(-maxSpanDays - 1).Ticks;
        var high = at.Ticks;
        if (due(new DateTime(high, DateTimeKind.Utc)) <= at)
        {
            return new DateTime(high, DateTimeKind.Utc);
        }

        // Invariant: due(low) <= at < due(high).
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (due(new DateTime(middle, DateTimeKind.Utc)) <= at)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return new DateTime(low, DateTimeKind.Utc);
    }

    public static bool TryStatus(string value, out TipStatus status) =>
        Enum.TryParse(value, ignoreCase: true, out status) && Enum.IsDefined(status) && !value.Any(char.IsDigit);

    public static bool TrySource(string value, out SourceReliability source) =>
        Enum.TryParse(value, ignoreCase: true, out source) && Enum.IsDefined(source) && value.Length == 1 && char.IsLetter(value[0]);

    public static bool TryInformation(string value, out InformationCredibility information)
    {
        information = default;
        if (value.Length != 1 || value[0] < '1' || value[0] > '4')
        {
            return false;
        }

        information = (InformationCredibility)(value[0] - '0');
        return true;
    }

    public static bool TryDay(string? value, out DateOnly day) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
