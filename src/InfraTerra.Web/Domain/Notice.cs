namespace InfraTerra.Web.Domain;

public class Notice
{
    public int Id { get; set; }

    /// <summary>Public reference such as <c>2014-12345</c>: the stable part of the URL.</summary>
    public string Reference { get; set; } = "";

    public string FamilyName { get; set; } = "";
    public string Forenames { get; set; } = "";

    /// <summary>Lower-case, accent-free copy of the names, maintained in C# because SQLite's NOCASE is ASCII-only.</summary>
    public string SearchName { get; set; } = "";

    public Sex Sex { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public List<string> Nationalities { get; set; } = [];
    public CrimeCategory Category { get; set; }
    public string Summary { get; set; } = "";
    public string? Caution { get; set; }
    public NoticeStatus Status { get; set; } = NoticeStatus.Wanted;
    public bool IsPublished { get; set; }

    /// <summary>Fictional demo data, labelled as such wherever it is shown.</summary>
    public bool IsSample { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>When <see cref="Status"/> last changed: an arrest leaves the public list a set time after it.</summary>
    public DateTime StatusChangedAtUtc { get; set; }

    public List<Warrant> Warrants { get; set; } = [];
    public List<NoticePhoto> Photos { get; set; } = [];
    public List<Operation> Operations { get; set; } = [];

    public string DisplayName => $"{FamilyName.ToUpperInvariant()}, {Forenames}";

    public int? AgeOn(DateOnly day)
    {
        if (DateOfBirth is not { } born)
        {
            return null;
        }

        var age = day.Year - born.Year;
        return born.AddYears(age) > day ? age - 1 : age;
    }

    public void RefreshSearchName() => SearchName = SearchText.Normalize($"{FamilyName} {Forenames}");
}
