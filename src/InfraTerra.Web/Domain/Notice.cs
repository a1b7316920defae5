namespace InfraTerra.Web.Domain;

public class Notice
{
    public int Id { get; set; }

    /// <summary>Public reference such as <c>2014-12345</c>: the stable part of the URL.</summary>
    public string Reference { get; set; } = "";

    public string FamilyName { get; set; } = "";
    public string Forenames { get; set; } = "";
    public List<string> Aliases { get; set; } = [];

    /// <summary>Lower-case, accent-free copy of names and aliases, maintained in C# because SQLite's NOCASE is ASCII-only.</summary>
    public string SearchName { get; set; } = "";

    public Sex Sex { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public string? PlaceOfBirth { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? CountryOfBirth { get; set; }

    /// <summary>ISO 3166-1 alpha-2 codes.</summary>
    public List<string> Nationalities { get; set; } = [];

    public double? HeightMetres { get; set; }
    public int? WeightKg { get; set; }

    /// <summary>INTERPOL colour codes such as <c>BRO</c>, <c>BLA</c>.</summary>
    public List<string> EyeColours { get; set; } = [];

    public List<string> HairColours { get; set; } = [];
    public string? DistinguishingMarks { get; set; }

    /// <summary>ISO 639-2 codes such as <c>ENG</c>, <c>SWA</c>, as INTERPOL writes them.</summary>
    public List<string> LanguagesSpoken { get; set; } = [];

    public List<CrimeCategory> Categories { get; set; } = [];
    public string Summary { get; set; } = "";
    public string? Caution { get; set; }
    public string? Reward { get; set; }

    /// <summary>The language the free texts (summary, caution, reward, marks) are written in.</summary>
    public string TextLanguage { get; set; } = "en";

    public NoticeStatus Status { get; set; } = NoticeStatus.Wanted;
    public bool IsPublished { get; set; }

    /// <summary>Fictional demo data, labelled as such wherever it is shown.</summary>
    public bool IsSample { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>When <see cref="Status"/> last changed: an arrest leaves the public list a set time after it.</summary>
    public DateTime StatusChangedAtUtc { get; set; }

    /// <summary>Bumped by every save: two Supervisors editing one notice, the second is told (optimistic concurrency).</summary>
    public int Revision { get; set; }

    public List<Warrant> Warrants { get; set; } = [];
    public List<NoticePhoto> Photos { get; set; } = [];
    public List<NoticeTranslation> Translations { get; set; } = [];
    public List<Operation> Operations { get; set; } = [];

    public string DisplayName => $"{FamilyName.ToUpperInvariant()}, {Forenames}";

    /// <summary>INTERPOL writes ids with a slash (<c>2014/12345</c>), URLs with a dash.</summary>
    public string EntityId => EntityIdOf(Reference);

    public static string EntityIdOf(string reference) => reference.Replace('-', '/');

    public int? AgeOn(DateOnly day) => AgeOf(DateOfBirth, day);

    public static int? AgeOf(DateOnly? dateOfBirth, DateOnly day)
    {
        if (dateOfBirth is not { } born)
        {
            return null;
        }

        var age = day.Year - born.Year;
        return born.AddYears(age) > day ? age - 1 : age;
    }

    public void RefreshSearchName() =>
        SearchName = SearchText.Normalize(string.Join(' ', [FamilyName, Forenames, .. Aliases]));

    /// <summary>The texts in <paramref name="language"/> where a translation has them, else the originals.</summary>
    public NoticeTexts TextsIn(string language)
    {
        var translation = language == TextLanguage ? null : Translations.FirstOrDefault(t => t.Language == language);
        return new NoticeTexts(
            Pick(Summary, translation?.Summary, language),
            Caution is null ? null : Pick(Caution, translation?.Caution, language),
            Reward is null ? null : Pick(Reward, translation?.Reward, language),
            DistinguishingMarks is null ? null : Pick(DistinguishingMarks, translation?.DistinguishingMarks, language));

        LocalizedText Pick(string original, string? translated, string wanted) =>
            string.IsNullOrWhiteSpace(translated) ? new(original, TextLanguage) : new(translated, wanted);
    }
}

public sealed record LocalizedText(string Text, string Language);

public sealed record NoticeTexts(LocalizedText Summary, LocalizedText? Caution, LocalizedText? Reward, LocalizedText? DistinguishingMarks);
