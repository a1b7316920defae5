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
    /// half the tips that have an end had it within h hours. The two times of each tip are streamed
    /// from the dashboard's covering index into an hour histogram (memory bounded by
    /// <see cref="MaxHours"/>, not by the number of tips). Counting thresholds in SQL instead cost a
    /// date computation per tip and threshold: on SQLite at a million tips, over a minute.
    /// </summary>
    private static async Task<MedianHours> MedianAsync(IQueryable<Tip> tips, Expression<Func<Tip, DateTime?>> end, CancellationToken cancellationToken)
    {
        var histogram = new long[MaxHours + 2];
        long total = 0;
        var pairs = tips.Where(NotNull(end)).Select(Pair(end));
        await foreach (var (submitted, ended) in pairs.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var hours = Math.Max(0, Math.Ceiling((ended - submitted).TotalHours));
            histogram[hours > MaxHours ? MaxHours + 1 : (int)hours]++;
            total++;
        }

        if (total == 0)
        {
            return new MedianHours(null, 0, false);
        }

        var target = (total + 1) / 2;
        long within = 0;
        for (var h = 0; h <= MaxHours; h++)
        {
            within += histogram[h];
            if (within >= target)
            {
                return new MedianHours(h, total, false);
            }
        }

        return new MedianHours(MaxHours, total, Capped: true);
    }

    private static Expression<Func<Tip, bool>> NotNull(Expression<Func<Tip, DateTime?>> end) =>
        Expression.Lambda<Func<Tip, bool>>(Expression.NotEqual(end.Body, Expression.Constant(null, typeof(DateTime?))), end.Parameters);

    private static Expression<Func<Tip, ValueTuple<DateTime, DateTime>>> Pair(Expression<Func<Tip, DateTime?>> end)
    {
        var tip = end.Parameters[0];
        var constructor = typeof(ValueTuple<DateTime, DateTime>).GetConstructor([typeof(DateTime), typeof(DateTime)])!;
        return Expression.Lambda<Func<Tip, ValueTuple<DateTime, DateTime>>>(
            Expression.New(constructor, Expression.Property(tip, nameof(Tip.SubmittedAtUtc)), Expression.Convert(end.Body, typeof(DateTime))), tip);
    }
}
