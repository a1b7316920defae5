using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Catalogue;

/// <summary>What a list shows of one notice.</summary>
public sealed record NoticeCard(
    string Reference, string FamilyName, string Forenames, DateOnly? DateOfBirth, List<CrimeCategory> Categories,
    List<string> Nationalities, NoticeStatus Status, bool IsSample, int? PhotoId, string? PhotoAlt)
{
    public string DisplayName => $"{FamilyName.ToUpperInvariant()}, {Forenames}";

    public static IQueryable<NoticeCard> From(IQueryable<Notice> notices) => notices.Select(n => new NoticeCard(
        n.Reference, n.FamilyName, n.Forenames, n.DateOfBirth, n.Categories, n.Nationalities, n.Status, n.IsSample,
        n.Photos.OrderBy(p => p.Id).Select(p => (int?)p.Id).FirstOrDefault(),
        n.Photos.OrderBy(p => p.Id).Select(p => p.AltText).FirstOrDefault()));
}
