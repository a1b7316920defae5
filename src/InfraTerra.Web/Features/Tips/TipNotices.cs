using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;

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
/// The notice a tip is about, from this node's catalogue (<see cref="PublicCatalogue"/>): after a televised
/// appeal every form and every post names the same few notices, and the form still shows the person
/// while the database is away. The catalogue is read again the moment this node saves a change to
/// notices, and within <c>Catalogue:RefreshSeconds</c> after another node does. A notice that is not
/// published is not there (the form answers 404 as for an unknown one).
/// </summary>
public sealed class TipNotices(PublicCatalogue catalogue)
{
    public async Task<TipNotice?> FindAsync(string reference, CancellationToken cancellationToken)
    {
        var snapshot = await catalogue.GetAsync(cancellationToken);
        var notice = snapshot.Find(reference);
        if (notice is null)
        {
            return null;
        }

        // One projection per copy of the catalogue, shared by every form about this notice.
        return snapshot.Memo("tip-notice:" + reference, () =>
        {
            var photo = notice.Photos.FirstOrDefault();
            return new TipNotice(
                notice.Id,
                notice.Reference,
                notice.DisplayName,
                photo is null ? null : new TipNotice.PhotoLink(photo.Id, photo.AltText),
                notice.Caution,
                notice.TextLanguage,
                Cautions(notice.Translations.Where(t => t.Caution != null).Select(t => (t.Language, t.Caution!))),
                // Tip.DeskFor's rule: the country of the first warrant owns the tips.
                notice.Warrants.FirstOrDefault()?.IssuingCountry ?? Tip.GeneralDesk,
                notice.IsPublished,
                notice.Status,
                notice.StatusChangedAtUtc);
        });
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
