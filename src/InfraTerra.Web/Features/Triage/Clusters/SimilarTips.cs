using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Clusters;

/// <summary>
/// Where similar tips are looked for: <c>Triage:Similar:WindowDays</c> either side of the tip's
/// receipt (default 30), at most <c>Triage:Similar:MaxCandidates</c> of them (default 500, the
/// nearest in time), of which the best <c>Triage:Similar:Shown</c> are shown (default 10).
/// </summary>
public sealed record SimilarSettings(int WindowDays, int MaxCandidates, int Shown)
{
    public static SimilarSettings From(IConfiguration configuration) => new(
        Math.Clamp(configuration.GetValue("Triage:Similar:WindowDays", 30), 1, 365),
        Math.Clamp(configuration.GetValue("Triage:Similar:MaxCandidates", 500), 1, 5000),
        Math.Clamp(configuration.GetValue("Triage:Similar:Shown", 10), 1, 50));
}

/// <summary>A tip shown as similar: what the officer needs to judge it at a glance, and whether they may link it.</summary>
public sealed record SimilarTip(
    Guid Id, DateOnly? SightedOn, string? SightingCountry, string? Place, TipStatus Status, DateTime SubmittedAtUtc,
    SimilarityMatch Match, Guid? ClusterId, int ClusterSize, bool MayAct, bool CanLink);

/// <summary>What the tip view shows of duplicates: the tip's own cluster and the similar tips, rendered by <c>_SimilarTips.cshtml</c>.</summary>
public sealed record SimilarTipsPanel(Guid TipId, int Revision, bool CanAct, Guid? ClusterId, int ClusterSize, IReadOnlyList<SimilarTip> Tips, int Compared, int WindowDays)
{
    public static string Short(Guid id) => id.ToString("N")[..8];
}

/// <summary>
/// Finds the tips that may say the same as one tip. Candidates are chosen in SQL by plain columns
/// only (same notice, or same desk for a tip with no notice; received within the window; visible
/// to the officer), then opened in memory through the tip store and scored by
/// <see cref="TipSimilarity"/>: tip text is never compared in SQL. Each tip shown is an officer read
/// of that tip and gets its own audit record (<see cref="AuditActions.ShownAsSimilar"/>), so that
/// the tip's own trail says who saw it; candidates opened only to be scored are not shown and not recorded.
/// </summary>
public sealed class SimilarTips(AppDbContext db, TipStore store, AuditLog auditLog, IConfiguration configuration)
{
    private readonly SimilarSettings _settings = SimilarSettings.From(configuration);

    public async Task<SimilarTipsPanel> FindAsync(Tip tip, TipContent content, CurrentOfficer officer, TipAccessLevel access, CancellationToken cancellationToken)
    {
        var clusterSizes = new Dictionary<Guid, int>();
        var candidates = await CandidatesAsync(tip, officer, cancellationToken);
        var subject = TipSimilarity.Prepare(new SimilarityInput(tip.SightedOn, tip.SightingCountry, content.Place, content.Description));
        var scored = new List<(Tip Tip, TipContent Content, SimilarityMatch Match)>();
        foreach (var candidate in candidates)
        {
            var opened = store.OpenContent(candidate);
            var match = TipSimilarity.Compare(subject, TipSimilarity.Prepare(new SimilarityInput(candidate.SightedOn, candidate.SightingCountry, opened.Place, opened.Description)));
            if (match.Score >= TipSimilarity.MinimumScore)
            {
                scored.Add((candidate, opened, match));
            }
        }

        var best = scored
            .OrderByDescending(s => s.Match.Score)
            .ThenBy(s => Math.Abs((s.Tip.SubmittedAtUtc - tip.SubmittedAtUtc).Ticks))
            .Take(_settings.Shown)
            .ToList();

        var clusterIds = best.Select(s => s.Tip.ClusterId).Append(tip.ClusterId).OfType<Guid>().Distinct().ToList();
        if (clusterIds.Count > 0)
        {
            clusterSizes = await VisibleClusterSizesAsync(db, officer, clusterIds, cancellationToken);
        }

        var canAct = access == TipAccessLevel.Act;
        var shown = best.Select(s => new SimilarTip(
            s.Tip.Id, s.Tip.SightedOn, s.Tip.SightingCountry, s.Content.Place, s.Tip.Status, s.Tip.SubmittedAtUtc, s.Match,
            s.Tip.ClusterId, s.Tip.ClusterId is { } c ? clusterSizes.GetValueOrDefault(c) : 0,
            canAct && MayAct(officer, s.Tip),
            canAct && MayAct(officer, s.Tip) && !(tip.ClusterId is not null && s.Tip.ClusterId == tip.ClusterId))).ToList();

        await auditLog.RecordAllAsync(
            [.. shown.Select(s => new AuditEntry(officer.Actor, AuditActions.ShownAsSimilar, s.Id, Detail: string.Create(CultureInfo.InvariantCulture, $"beside tip {tip.Id:N}")))],
            cancellationToken);

        return new SimilarTipsPanel(
            tip.Id, tip.Revision, canAct, tip.ClusterId, tip.ClusterId is { } own ? clusterSizes.GetValueOrDefault(own) : 0, shown, candidates.Count, _settings.WindowDays);
    }

    /// <summary>The similar tips a Duplicate decision may name: those the officer may act on, labelled for a list.</summary>
    public static IReadOnlyList<KeyValuePair<Guid, string>> DuplicateChoices(SimilarTipsPanel panel) =>
        [.. panel.Tips.Where(t => t.MayAct).Select(t => new KeyValuePair<Guid, string>(t.Id, Label(t)))];

    public static string Label(SimilarTip tip) => string.Create(CultureInfo.InvariantCulture,
        $"Tip {SimilarTipsPanel.Short(tip.Id)}: seen {tip.SightedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "on a day not said"}{(tip.SightingCountry is { } c ? " in " + c : "")}, {tip.Match.Score} % alike");

    /// <summary>How many tips of each cluster the officer may see: an officer never learns of tips on desks they cannot see.</summary>
    public static async Task<Dictionary<Guid, int>> VisibleClusterSizesAsync(AppDbContext db, CurrentOfficer officer, IReadOnlyList<Guid> clusterIds, CancellationToken cancellationToken) =>
        await db.Tips.AsNoTracking().VisibleTo(db, officer)
            .Where(t => t.ClusterId != null && clusterIds.Contains(t.ClusterId.Value))
            .GroupBy(t => t.ClusterId!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    /// <summary>The tip's own desk, or a Supervisor: the same rule as <see cref="TipAccess.LevelAsync"/> gives Act.</summary>
    public static bool MayAct(CurrentOfficer officer, Tip tip) => officer.IsSupervisor || (officer.IsOfficer && officer.Desks.Contains(tip.Desk));

    /// <summary>
    /// The tips received nearest in time to this one within the window, on either side: ids first (the
    /// index on notice and receipt time answers it), then the sealed rows of those kept.
    /// </summary>
    private async Task<List<Tip>> CandidatesAsync(Tip tip, CurrentOfficer officer, CancellationToken cancellationToken)
    {
        var from = tip.SubmittedAtUtc.AddDays(-_settings.WindowDays);
        var to = tip.SubmittedAtUtc.AddDays(_settings.WindowDays);
        var same = db.Tips.AsNoTracking().Where(t => t.Id != tip.Id);
        same = tip.NoticeId is { } noticeId
            ? same.Where(t => t.NoticeId == noticeId)
            : same.Where(t => t.NoticeId == null && t.Desk == tip.Desk);
        same = same.VisibleTo(db, officer);

        var at = tip.SubmittedAtUtc;
        var later = await same.Where(t => t.SubmittedAtUtc >= at && t.SubmittedAtUtc <= to)
            .OrderBy(t => t.SubmittedAtUtc).Take(_settings.MaxCandidates)
            .Select(t => new { t.Id, t.SubmittedAtUtc }).ToListAsync(cancellationToken);
        var earlier = await same.Where(t => t.SubmittedAtUtc < at && t.SubmittedAtUtc >= from)
            .OrderByDescending(t => t.SubmittedAtUtc).Take(_settings.MaxCandidates)
            .Select(t => new { t.Id, t.SubmittedAtUtc }).ToListAsync(cancellationToken);
        var ids = later.Concat(earlier)
            .OrderBy(t => Math.Abs((t.SubmittedAtUtc - at).Ticks))
            .Take(_settings.MaxCandidates)
            .Select(t => t.Id)
            .ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        return await db.Tips.AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);
    }
}
