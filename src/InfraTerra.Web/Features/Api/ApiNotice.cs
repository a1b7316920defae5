using System.Globalization;
using System.Text.Json.Serialization;
using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Notices;

namespace InfraTerra.Web.Features.Api;

/// <summary>A notice in a list: INTERPOL's fields first, InfraTerra's after them.</summary>
public sealed record ApiNoticeSummary(
    string EntityId,
    string Forename,
    string Name,
    string? DateOfBirth,
    IReadOnlyList<string> Nationalities,
    string Status,
    IReadOnlyList<string> Categories,
    bool IsSample,
    [property: JsonPropertyName("_links")] ApiNoticeLinks Links)
{
    public static ApiNoticeSummary From(NoticeCard card, ApiLinks links) => new(
        Notice.EntityIdOf(card.Reference),
        card.Forenames,
        card.FamilyName,
        ApiFormat.Date(card.DateOfBirth),
        card.Nationalities,
        ApiFormat.Code(card.Status),
        [.. card.Categories.Select(ApiFormat.Code)],
        card.IsSample,
        new(links.Notice(card.Reference), links.Images(card.Reference), links.ThumbnailOrNone(card.Reference, card.PhotoId)));
}

/// <summary>One notice: every field of INTERPOL's Red Notice detail (null where unknown), then InfraTerra's.</summary>
public sealed record ApiNoticeDetail(
    string EntityId,
    string Forename,
    string Name,
    string? DateOfBirth,
    string SexId,
    IReadOnlyList<string> Nationalities,
    string? CountryOfBirthId,
    string? PlaceOfBirth,
    double? Height,
    int? Weight,
    IReadOnlyList<string> EyesColorsId,
    IReadOnlyList<string> HairsId,
    string? DistinguishingMarks,
    IReadOnlyList<string> LanguagesSpokenIds,
    IReadOnlyList<ApiArrestWarrant> ArrestWarrants,
    IReadOnlyList<string> Aliases,
    string Summary,
    string? Caution,
    string? Reward,
    string Status,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Operations,
    bool IsSample,
    string LastUpdated,
    [property: JsonPropertyName("_links")] ApiNoticeLinks Links)
{
    /// <param name="notice">Loaded with its warrants, translations and operations.</param>
    public static ApiNoticeDetail From(Notice notice, int? firstPhotoId, string language, ApiLinks links)
    {
        var texts = notice.TextsIn(language);
        return new(
            notice.EntityId,
            notice.Forenames,
            notice.FamilyName,
            ApiFormat.Date(notice.DateOfBirth),
            IndexModel.SexCode(notice.Sex),
            notice.Nationalities,
            notice.CountryOfBirth,
            notice.PlaceOfBirth,
            notice.HeightMetres,
            notice.WeightKg,
            notice.EyeColours,
            notice.HairColours,
            texts.DistinguishingMarks?.Text,
            notice.LanguagesSpoken,
            [.. notice.Warrants.Select(w => new ApiArrestWarrant(w.IssuingCountry, w.Charge, w.ChargeTranslation))],
            notice.Aliases,
            texts.Summary.Text,
            texts.Caution?.Text,
            texts.Reward?.Text,
            ApiFormat.Code(notice.Status),
            [.. notice.Categories.Select(ApiFormat.Code)],
            [.. notice.Operations.Select(o => o.Slug).Order(StringComparer.Ordinal)],
            notice.IsSample,
            ApiFormat.Timestamp(notice.UpdatedAtUtc),
            new(links.Notice(notice.Reference), links.Images(notice.Reference), links.ThumbnailOrNone(notice.Reference, firstPhotoId)));
    }
}

public sealed record ApiArrestWarrant(string IssuingCountryId, string Charge, string? ChargeTranslation);

/// <summary>How values are written in INTERPOL's dialect.</summary>
public static class ApiFormat
{
    public static string? Date(DateOnly? date) =>
        date?.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture);

    public static string Timestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Enum values as the API's parameters take them: <c>wanted</c>, <c>wildlife</c>.</summary>
    public static string Code<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
