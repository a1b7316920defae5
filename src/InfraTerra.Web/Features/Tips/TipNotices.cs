using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace InfraTerra.Web.Features.Tips;

/// <summary>
/// What the tip form and its post need of a notice, fixed at the time it was read. The status
/// fields are kept, not the verdict: visibility depends on the clock and is decided per request.
/// </summary>
public sealed record TipNotice(
    int Id,
    string Reference,
    string DisplayName,
    TipNotice.PhotoLink? Photo,
    string? Caution,
    string TextLanguage,
    IReadOnlyDictionary<string, string> TranslatedCautions,
    string Desk,
    bool IsPublished,
    NoticeStatus Status,
    DateTime StatusChangedAtUtc)
{
    public sealed record PhotoLink(int Id, string AltText);

    /// <summary>The caution in <paramref name="language"/> where translated, else the original (as <see cref="Notice.TextsIn"/>).</summary>
    public LocalizedText? CautionIn(string language) =>
        Caution is null ? null
        : language != TextLanguage && TranslatedCautions.TryGetValue(language, out var translated) ? new(translated, language)
        : new(Caution, TextLanguage);

    public PageVisibility VisibilityAt(NoticeVisibility visibility, DateTime nowUtc) =>
        visibility.PageVisibilityOf(IsPublished, Status, StatusChangedAtUtc, nowUtc);
}

/// <summary>
/// The notice a tip is about, from memory: after a televised appeal every form and every post
/// names the same few notices. An entry lives at most <see cref="PublicCache.Lifetime"/> and is
/// dropped the moment this node saves a change to notices (<see cref="PublicDataChanges"/>), like
/// the public pages. Unknown references are not remembered, so made-up ones cannot fill memory.
/// </summary>
public sealed class TipNotices(AppDbContext db, IMemoryCache cache, PublicDataChanges changes)
{
    public async Task<TipNotice?> FindAsync(string reference, CancellationToken cancellationToken)
    {
        var key = (typeof(TipNotices), reference);
        if (cache.TryGetValue(key, out TipNotice? known))
        {
            return known;
        }

        // Taken before the read: a change saved while it runs expires what it returns.
        var token = changes.Token;
        var row = await db.Notices.AsNoTracking()
            .Where(n => n.Reference == reference)
            .Select(n => new
            {
                n.Id,
                n.Reference,
                n.FamilyName,
                n.Forenames,
                n.Caution,
                n.TextLanguage,
                n.IsPublished,
                n.Status,
                n.StatusChangedAtUtc,
                Photo = n.Photos.OrderBy(p => p.Id).Select(p => new TipNotice.PhotoLink(p.Id, p.AltText)).FirstOrDefault(),
                // Tip.DeskFor's rule: the country of the first warrant owns the tips.
                Desk = n.Warrants.OrderBy(w => w.Id).Select(w => w.IssuingCountry).FirstOrDefault(),
                Cautions = n.Translations.Where(t => t.Caution != null && t.Caution != "").Select(t => new { t.Language, t.Caution }).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var notice = new TipNotice(
            row.Id,
            row.Reference,
            new Notice { FamilyName = row.FamilyName, Forenames = row.Forenames }.DisplayName,
            row.Photo,
            row.Caution,
            row.TextLanguage,
            Cautions(row.Cautions.Select(c => (c.Language, c.Caution!))),
            row.Desk ?? Tip.GeneralDesk,
            row.IsPublished,
            row.Status,
            row.StatusChangedAtUtc);
        using (var entry = cache.CreateEntry(key))
        {
            entry.Value = notice;
            entry.AbsoluteExpirationRelativeToNow = PublicCache.Lifetime;
            entry.AddExpirationToken(token);
        }

        return notice;
    }

    private static Dictionary<string, string> Cautions(IEnumerable<(string Language, string Caution)> translated)
    {
        var cautions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (language, caution) in translated)
        {
            if (!string.IsNullOrWhiteSpace(caution))
            {
                cautions.TryAdd(language, caution);
            }
        }

        return cautions;
    }
}
