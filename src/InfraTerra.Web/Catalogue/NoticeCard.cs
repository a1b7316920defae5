using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Catalogue;

/// <summary>What a list shows of one notice.</summary>
public sealed record NoticeCard(
    string Reference, string FamilyName, string Forenames, DateOnly? DateOfBirth, List<CrimeCategory> Categories,
    List<string> Nationalities, NoticeStatus Status, bool IsSample, int? PhotoId, string? PhotoAlt)
{
    public string DisplayName => $"{FamilyName.ToUpperInvariant()}, {Forenames}";
}
