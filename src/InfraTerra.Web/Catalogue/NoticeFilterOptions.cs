namespace InfraTerra.Web.Catalogue;

public sealed record FilterChoices(
    IReadOnlyList<string> Nationalities, IReadOnlyList<string> WarrantCountries, IReadOnlyList<(string Slug, string Name)> Operations)
{
    public static readonly FilterChoices Empty = new([], [], []);
}

/// <summary>
/// The values worth offering in the filter lists: only countries that have listed notices, and the
/// operations. Computed from this node's catalogue, once per copy and stretch of time in which the list does not change.
/// </summary>
public sealed class NoticeFilterOptions(PublicCatalogue catalogue, TimeProvider clock)
{
    public async Task<FilterChoices> GetAsync(CancellationToken cancellationToken) =>
        (await catalogue.GetAsync(cancellationToken)).ChoicesAt(clock.GetUtcNow().UtcDateTime);
}
