using System.Linq.Expressions;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Dashboard;

/// <summary>The dashboard's filter: tips received from one UTC day to another, on one desk or all.</summary>
public sealed record DashboardFilter(DateOnly From, DateOnly To, string? Desk)
{
    public DateTime Start => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    public DateTime End => To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}

public sealed record Bar(string Label, long Value);

/// <summary>A median to the hour, from how many tips.</summary>
public sealed record MedianHours(int? Hours, long Tips, bool Capped);

public sealed record OperationOutcomes(string Operation, IReadOnlyDictionary<OutcomeKind, long> ByKind)
{
    public long Total => ByKind.Values.Sum();
}

public sealed record DashboardData(
    DashboardFilter Filter,
    DateTime ComputedAtUtc,
    long Total,
    IReadOnlyList<Bar> PerDay,
    IReadOnlyList<Bar> ByStatus,
    IReadOnlyList<Bar> ByNotice,
    IReadOnlyList<Bar> ByDesk,
    IReadOnlyList<Bar> ByGrade,
    MedianHours ToFirstAction,
    MedianHours ToFeedback,
    long AcknowledgeOverdue,
    long FeedbackOverdue,
    IReadOnlyList<OperationOutcomes> OutcomesPerOperation);

/// <summary>
/// The Supervisors' figures, every one an aggregate over plain columns (GROUP BY or conditional
/// counts): no tip is loaded and nothing is decrypted, whatever the number of tips. Medians come from
/// cumulative counts at chosen hour thresholds, narrowed in a few passes, never from the rows. A
/// computed dashboard is kept per filter for <see cref="CacheFor"/>.
/// </summary>
public sealed class DashboardFigures(AppDbContext db, IMemoryCache cache, TimeProvider clock, IOptions<DeadlineOptions> deadlines)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    /// <summary>Bars in the notice chart: the notices with most tips; the rest are counted together.</summary>
    public const int TopNotices = 15;

    /// <summary>A median beyond this is shown as "more than".</summary>
    public const int MaxHours = 8760;

    private static readonly int[] FirstThresholds = [0, 1, 2, 4, 8, 12, 24, 48, 96, 168, 336, 720, 1440, 2160, 4320, MaxHours];

    public async Task<DashboardData> GetAsync(DashboardFilter filter, CancellationToken cancellationToken)
    {
        var key = ("dashboard", filter);
        if (cache.TryGetValue(key, out DashboardData? cached) && cached is not null)
        {
            return cached;
        }

        var data = await ComputeAsync(filter, cancellationToken);
        cache.Set(key, data, CacheFor);
        return data;
    }

    private async Task<DashboardData> ComputeAsync(DashboardFilter filter, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var start = filter.Start;
        var end = filter.End;
        var tips = db.Tips.AsNoTracking().Where(t => t.SubmittedAtUtc >= start && t.SubmittedAtUtc < end);
        if (filter.Desk is { } desk)
        {
            tips = tips.Where(t => t.Desk == desk);
        }

        var perDay = await tips.GroupBy(t => t.SubmittedAtUtc.Date).Select(g => new { Day = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        var counts = perDay.ToDictionary(d => DateOnly.FromDateTime(d.Day), d => d.Count);
        var days = new List<Bar>();
        for (var day = filter.From; day <= filter.To; day = day.AddDays(1))
        {
            days.Add(new Bar(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), counts.GetValueOrDefault(day)));
        }

        var total = counts.Values.Sum();

        var byStatus = (await tips.GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken))
            .ToDictionary(s => s.Key, s => s.Count);
        var statuses = Enum.GetValues<TipStatus>().Select(s => new Bar(StatusRules.Label(s), byStatus.GetValueOrDefault(s))).ToList();

        var byNotice = await tips.GroupBy(t => t.NoticeId).Select(g => new { g.Key, Count = g.LongCount() })
            .OrderByDescending(n => n.Count).ThenBy(n => n.Key).Take(TopNotices + 1).ToListAsync(cancellationToken);
        var ids = byNotice.Where(n => n.Key != null).Select(n => n.Key!.Value).ToList();
        var names = await db.Notices.AsNoTracking().Where(n => ids.Contains(n.Id))
            .Select(n => new { n.Id, n.Reference, n.FamilyName, n.Forenames }).ToListAsync(cancellationToken);
        var notices = byNotice.Take(TopNotices).Select(n => new Bar(
            n.Key is { } id && names.FirstOrDefault(x => x.Id == id) is { } notice
                ? $"{notice.FamilyName.ToUpperInvariant()}, {notice.Forenames} ({notice.Reference})"
                : "No notice (general reports)",
            n.Count)).ToList();
        var listed = notices.Sum(n => n.Value);
        if (total > listed)
        {
            notices.Add(new Bar("Other notices", total - listed));
        }

        var desks = (await tips.GroupBy(t => t.Desk).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken))
            .OrderByDescending(d => d.Count).ThenBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => new Bar(d.Key == Tip.GeneralDesk ? "General" : d.Key, d.Count)).ToList();

        var grades = (await tips.GroupBy(t => new { t.SourceGrade, t.InformationGrade }).Select(g => new { g.Key.SourceGrade, g.Key.InformationGrade, Count = g.LongCount() })
            .ToListAsync(cancellationToken));
        var byGrade = new List<Bar>();
        foreach (var source in Enum.GetValues<SourceReliability>())
        {
            foreach (var information in Enum.GetValues<InformationCredibility>())
            {
                byGrade.Add(new Bar(GradingRules.Code(source, information)!, grades.Where(g => g.SourceGrade == source && g.InformationGrade == information).Sum(g => g.Count)));
            }
        }

        byGrade.Add(new Bar("Not graded", grades.Where(g => g.SourceGrade == null || g.InformationGrade == null).Sum(g => g.Count)));

        var toAction = await MedianAsync(tips, t => t.FirstActionAtUtc, cancellationToken);
        var toFeedback = await MedianAsync(tips, t => t.FeedbackGivenAtUtc, cancellationToken);

        var acknowledgeOverdue = await tips.Where(Triage.QueueFilter.AcknowledgeOverdue(now, deadlines.Value)).LongCountAsync(cancellationToken);
        var feedbackOverdue = await tips.Where(Triage.QueueFilter.FeedbackOverdue(now, deadlines.Value)).LongCountAsync(cancellationToken);

        return new DashboardData(filter, now, total, days, statuses, notices, desks, byGrade, toAction, toFeedback, acknowledgeOverdue, feedbackOverdue,
            await OutcomesPerOperationAsync(filter, cancellationToken));
    }

    /// <summary>
    /// Outcomes that happened in the range, counted per operation of their notice (a notice in two
    /// operations counts in both). The desk filter takes the notice's desk, as a tip about it would have.
    /// </summary>
    private async Task<IReadOnlyList<OperationOutcomes>> OutcomesPerOperationAsync(DashboardFilter filter, CancellationToken cancellationToken)
    {
        var outcomes = db.TipOutcomes.AsNoTracking().Where(o => o.OccurredOn >= filter.From && o.OccurredOn <= filter.To);
        if (filter.Desk is { } desk)
        {
            outcomes = desk == Tip.GeneralDesk
                ? outcomes.Where(o => o.NoticeId == null || !db.Warrants.Any(w => w.NoticeId == o.NoticeId))
                : outcomes.Where(o => db.Warrants.Where(w => w.NoticeId == o.NoticeId).OrderBy(w => w.Id).Select(w => w.IssuingCountry).FirstOrDefault() == desk);
        }

        var perOperation = await (
                from o in outcomes
                from n in db.Notices.Where(n => n.Id == o.NoticeId)
                from op in n.Operations
                group o by new { op.Id, op.Name, o.Kind } into g
                select new { g.Key.Id, g.Key.Name, g.Key.Kind, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        var none = await outcomes.Where(o => !db.Notices.Any(n => n.Id == o.NoticeId && n.Operations.Any()))
            .GroupBy(o => o.Kind).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);

        var rows = perOperation.GroupBy(p => (p.Id, p.Name))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new OperationOutcomes(g.Key.Name, g.ToDictionary(p => p.Kind, p => p.Count)))
            .ToList();
        if (none.Count > 0)
        {
            rows.Add(new OperationOutcomes("No operation", none.ToDictionary(p => p.Key, p => p.Count)));
        }

        return rows;
    }

    /// <summary>
    /// The median of (end − submission) in whole hours, rounded up: the smallest h such that at least
    /// half the tips that have an end had it within h hours. Each pass counts, in one aggregate query,
    /// the tips within each of up to 16 thresholds and narrows the bracket holding the median, so the
    /// database returns a few numbers per pass and no rows.
    /// </summary>
    private async Task<MedianHours> MedianAsync(IQueryable<Tip> tips, Expression<Func<Tip, DateTime?>> end, CancellationToken cancellationToken)
    {
        var thresholds = FirstThresholds;
        var first = await CountWithinAsync(tips, end, thresholds, cancellationToken);
        if (first.Total == 0)
        {
            return new MedianHours(null, 0, false);
        }

        var target = (first.Total + 1) / 2;
        var within = first.Within;
        while (true)
        {
            var index = Array.FindIndex(within, c => c >= target);
            if (index < 0)
            {
                return new MedianHours(MaxHours, first.Total, Capped: true);
            }

            var high = thresholds[index];
            var low = index == 0 ? -1 : thresholds[index - 1];
            if (high - low <= 1)
            {
                return new MedianHours(high, first.Total, false);
            }

            // (low, high] holds the answer: split it into at most 16 steps.
            var step = Math.Max(1, (int)Math.Ceiling((high - low) / 16.0));
            thresholds = [.. Enumerable.Range(1, 16).Select(i => Math.Min(high, low + (i * step))).Distinct()];
            within = (await CountWithinAsync(tips, end, thresholds, cancellationToken)).Within;
        }
    }

    private static async Task<(long Total, long[] Within)> CountWithinAsync(
        IQueryable<Tip> tips, Expression<Func<Tip, DateTime?>> end, int[] thresholds, CancellationToken cancellationToken)
    {
        // g => new Within16 { Total = g.Count(t => end(t) != null), C0 = g.Count(t => end(t) <= t.SubmittedAtUtc.AddHours(h0)), ... }
        var group = Expression.Parameter(typeof(IGrouping<int, Tip>), "g");
        var bindings = new List<MemberBinding>
        {
            Expression.Bind(typeof(Within16).GetProperty(nameof(Within16.Total))!, CountWhere(group, end, null)),
        };
        for (var i = 0; i < 16; i++)
        {
            var hours = thresholds[Math.Min(i, thresholds.Length - 1)];
            bindings.Add(Expression.Bind(typeof(Within16).GetProperty($"C{i}")!, CountWhere(group, end, hours)));
        }

        var selector = Expression.Lambda<Func<IGrouping<int, Tip>, Within16>>(Expression.MemberInit(Expression.New(typeof(Within16)), bindings), group);
        var row = await tips.GroupBy(t => 1).Select(selector).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return (0, new long[thresholds.Length]);
        }

        long[] all = [row.C0, row.C1, row.C2, row.C3, row.C4, row.C5, row.C6, row.C7, row.C8, row.C9, row.C10, row.C11, row.C12, row.C13, row.C14, row.C15];
        return (row.Total, all[..thresholds.Length]);
    }

    private static MethodCallExpression CountWhere(ParameterExpression group, Expression<Func<Tip, DateTime?>> end, int? hours)
    {
        var tip = Expression.Parameter(typeof(Tip), "t");
        var value = new Replace(end.Parameters[0], tip).Visit(end.Body);
        Expression condition = hours is null
            ? Expression.NotEqual(value, Expression.Constant(null, typeof(DateTime?)))
            : Expression.LessThanOrEqual(
                value,
                Expression.Convert(
                    Expression.Call(Expression.Property(tip, nameof(Tip.SubmittedAtUtc)), typeof(DateTime).GetMethod(nameof(DateTime.AddHours))!, Expression.Constant((double)hours.Value)),
                    typeof(DateTime?)));
        var predicate = Expression.Lambda<Func<Tip, bool>>(condition, tip);
        return Expression.Call(typeof(Enumerable), nameof(Enumerable.LongCount), [typeof(Tip)], group, predicate);
    }

    private sealed class Replace(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    private sealed class Within16
    {
        public long Total { get; set; }
        public long C0 { get; set; }
        public long C1 { get; set; }
        public long C2 { get; set; }
        public long C3 { get; set; }
        public long C4 { get; set; }
        public long C5 { get; set; }
        public long C6 { get; set; }
        public long C7 { get; set; }
        public long C8 { get; set; }
        public long C9 { get; set; }
        public long C10 { get; set; }
        public long C11 { get; set; }
        public long C12 { get; set; }
        public long C13 { get; set; }
        public long C14 { get; set; }
        public long C15 { get; set; }
    }
}
