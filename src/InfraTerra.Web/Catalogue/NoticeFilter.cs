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
