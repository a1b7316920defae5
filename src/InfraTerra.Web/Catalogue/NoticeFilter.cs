using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Catalogue;

/// <summary>What a visitor or an API client asked for; every part optional. Shared by the pages and the API.</summary>
public sealed record NoticeFilter
{
    /// <summary>Words that must all appear in the family name, forenames or aliases (case- and accent-insensitive).</summary>
    public string? Name { get; init; }

    public string? Forename { get; init; }
    public string? FamilyName { get; init; }
    public string? Nationality { get; init; }
    public string? WarrantCountry { get; init; }
    public Sex? Sex { get; init; }
    public int? AgeMin { get; init; }
    public int? AgeMax { get; init; }
    public CrimeCategory? Category { get; init; }
    public string? Operation { get; init; }
    public NoticeStatus? Status { get; init; }
}

public enum NoticeSort
{
    Name,
    Updated,
    Age,
}

public static class NoticeFilterQuery
{
    public static IQueryable<Notice> Matching(this IQueryable<Notice> notices, NoticeFilter filter, DateOnly today)
    {
        foreach (var words in new[] { filter.Name, filter.Forename, filter.FamilyName })
        {
            foreach (var term in SearchText.Normalize(words ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                notices = notices.Where(n => n.SearchName.Contains(term));
            }
        }

        if (filter.Nationality is { } nationality)
        {
            notices = notices.Where(n => n.Nationalities.Contains(nationality));
        }

        if (filter.WarrantCountry is { } warrantCountry)
        {
            notices = notices.Where(n => n.Warrants.Any(w => w.IssuingCountry == warrantCountry));
        }

        if (filter.Sex is { } sex)
        {
            notices = notices.Where(n => n.Sex == sex);
        }

        if (filter.AgeMin is { } ageMin)
        {
            var bornOnOrBefore = today.AddYears(-ageMin);
            notices = notices.Where(n => n.DateOfBirth != null && n.DateOfBirth <= bornOnOrBefore);
        }

        if (filter.AgeMax is { } ageMax)
        {
            var bornAfter = today.AddYears(-(ageMax + 1));
            notices = notices.Where(n => n.DateOfBirth != null && n.DateOfBirth > bornAfter);
        }

        if (filter.Category is { } category)
        {
            notices = notices.Where(n => n.Categories.Contains(category));
        }

        if (filter.Operation is { } operation)
        {
            notices = notices.Where(n => n.Operations.Any(o => o.Slug == operation));
        }

        if (filter.Status is { } status)
        {
            notices = notices.Where(n => n.Status == status);
        }

        return notices;
    }

    public static IOrderedQueryable<Notice> SortedBy(this IQueryable<Notice> notices, NoticeSort sort) => sort switch
    {
        NoticeSort.Updated => notices.OrderByDescending(n => n.UpdatedAtUtc).ThenBy(n => n.Reference),
        NoticeSort.Age => notices.OrderByDescending(n => n.DateOfBirth).ThenBy(n => n.Reference),
        _ => notices.OrderBy(n => n.FamilyName).ThenBy(n => n.Forenames).ThenBy(n => n.Reference),
    };
}
