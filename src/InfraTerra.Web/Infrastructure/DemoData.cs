using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Images;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// Fictional sample data for demos and development. Every person here is invented; every
/// record is flagged <c>IsSample</c> and shown with a "Sample data" label.
/// </summary>
public static class DemoData
{
    public const string OperationSlug = "infra-terra";

    private sealed record SampleNotice(
        string Reference, string FamilyName, string Forenames, Sex Sex, DateOnly Born, string[] Nationalities,
        CrimeCategory[] Categories, string WarrantCountry, string Charge, string Summary, string? Caution,
        NoticeStatus Status = NoticeStatus.Wanted)
    {
        public string[] Aliases { get; init; } = [];
        public string? PlaceOfBirth { get; init; }
        public string? CountryOfBirth { get; init; }
        public double? Height { get; init; }
        public int? Weight { get; init; }
        public string[] Eyes { get; init; } = ["BRO"];
        public string[] Hair { get; init; } = ["BLA"];
        public string? Marks { get; init; }
        public string[] Languages { get; init; } = ["ENG"];
        public string? Reward { get; init; }
        public string? ChargeTranslation { get; init; }
        public SampleTranslation[] Translations { get; init; } = [];
        public int Photos { get; init; } = 1;
    }

    // Plain records, turned into new entities at every seed: entity instances in a static array
    // would be shared (and mutated) by every context that seeds, e.g. parallel test hosts.
    private sealed record SampleTranslation(string Language, string? Summary, string? Caution = null);

    private static readonly SampleNotice[] Notices =
    [
        new("2014-90001", "Ondrako", "Fëisal Amani", Sex.Male, new(1971, 3, 14), ["KE", "TZ"], [CrimeCategory.Wildlife], "KE",
            "Leading an organised ivory-smuggling network",
            "SAMPLE DATA. Fictional alleged ringleader of a network moving ivory through East African ports.",
            "May be armed. Do not approach.")
        {
            Aliases = ["Faisal Ondraco", "The Broker"], PlaceOfBirth = "Mombasa", CountryOfBirth = "KE", Height = 1.82, Weight = 88,
            Marks = "Scar across the left eyebrow", Languages = ["ENG", "SWA"], Photos = 2,
            Reward = "SAMPLE DATA. A fictional reward of up to 10,000 EUR for information leading to an arrest.",
            Translations =
            [
                new("fr", "DONNÉES D'EXEMPLE. Chef présumé fictif d'un réseau qui fait passer de l'ivoire par les ports d'Afrique de l'Est.", "Peut être armé. Ne l'approchez pas."),
                new("es", "DATOS DE EJEMPLO. Presunto cabecilla ficticio de una red que mueve marfil por los puertos de África oriental.", "Puede ir armado. No se acerque."),
                new("ar", "بيانات تجريبية. زعيم مزعوم خيالي لشبكة تهرّب العاج عبر موانئ شرق أفريقيا.", "قد يكون مسلحًا. لا تقترب منه."),
            ],
        },
        new("2014-90002", "Marlowe-Ashby", "Quentin", Sex.Male, new(1965, 11, 2), ["ZA"], [CrimeCategory.Wildlife], "ZA",
            "Trafficking in rhinoceros horn",
            "SAMPLE DATA. Fictional dealer accused of buying rhino horn from poaching gangs.", null)
        {
            Aliases = ["Q. Ashby"], PlaceOfBirth = "Durban", CountryOfBirth = "ZA", Height = 1.75, Weight = 80, Eyes = ["BLU"], Hair = ["GRY"],
            Languages = ["ENG", "AFR"],
            Translations =
            [
                new("fr", "DONNÉES D'EXEMPLE. Négociant fictif accusé d'acheter de la corne de rhinocéros à des braconniers."),
            ],
        },
        new("2014-90003", "Velusamy", "Priyanka Devi", Sex.Female, new(1980, 6, 21), ["IN"], [CrimeCategory.Wildlife], "IN",
            "Illegal trade in pangolin scales",
            "SAMPLE DATA. Fictional broker accused of shipping pangolin scales in mislabelled freight.", null)
        {
            PlaceOfBirth = "Chennai", CountryOfBirth = "IN", Height = 1.62, Languages = ["ENG", "TAM"],
        },
        new("2014-90004", "Torrance", "Baxter Eli", Sex.Male, new(1975, 1, 9), ["BR", "PT"], [CrimeCategory.Timber], "BR",
            "Exploração ilegal de madeira em floresta protegida",
            "SAMPLE DATA. Fictional sawmill owner accused of laundering protected hardwood with forged permits.",
            "Known to use violence against witnesses.")
        {
            ChargeTranslation = "Illegal logging in a protected forest", CountryOfBirth = "PT", Height = 1.9, Weight = 95,
            Languages = ["POR", "ENG"], Marks = "Tattoo of a compass on the right forearm",
        },
        new("2014-90005", "Železný", "Radek", Sex.Male, new(1969, 8, 30), ["CZ"], [CrimeCategory.Timber, CrimeCategory.Other], "MG",
            "Export of protected rosewood",
            "SAMPLE DATA. Fictional exporter accused of moving rosewood logs out of a national park.", null)
        {
            PlaceOfBirth = "Brno", CountryOfBirth = "CZ", Languages = ["CES", "FRA"], Eyes = ["GRE"], Hair = ["BRO"],
        },
        new("2014-90006", "Ahmadou-Kébé", "Sira", Sex.Female, new(1983, 4, 17), ["SN"], [CrimeCategory.Fisheries], "SN",
            "Pêche illicite, non déclarée et non réglementée",
            "SAMPLE DATA. Fictional operator of vessels accused of fishing in closed waters under false flags.", null)
        {
            ChargeTranslation = "Illegal, unreported and unregulated fishing", PlaceOfBirth = "Dakar", CountryOfBirth = "SN",
            Languages = ["FRA", "WOL"],
        },
        new("2014-90007", "Lindgren-Okafor", "Tobias", Sex.Male, new(1977, 12, 5), ["NO", "NG"], [CrimeCategory.Fisheries], "ID",
            "Shark-finning and transhipment at sea",
            "SAMPLE DATA. Fictional fleet manager accused of finning protected sharks.", null)
        {
            Aliases = ["Tobi Lind"], CountryOfBirth = "NG", Height = 1.85, Languages = ["ENG", "NOR"],
        },
        new("2014-90008", "Castellanos Ruiz", "Mireya", Sex.Female, new(1972, 2, 28), ["CO"], [CrimeCategory.Pollution], "CO",
            "Vertimiento de residuos tóxicos en una cuenca fluvial",
            "SAMPLE DATA. Fictional waste contractor accused of dumping mercury-laden sludge.", null)
        {
            ChargeTranslation = "Dumping of toxic waste in a river basin", PlaceOfBirth = "Medellín", CountryOfBirth = "CO",
            Languages = ["SPA"],
            Translations =
            [
                new("es", "DATOS DE EJEMPLO. Contratista ficticia acusada de verter lodos con mercurio."),
            ],
        },
        new("2014-90009", "Holloway-Praxis", "Dmitri", Sex.Male, new(1968, 9, 12), ["GB", "CY"], [CrimeCategory.Pollution], "IT",
            "Traffico illecito di rifiuti elettronici pericolosi",
            "SAMPLE DATA. Fictional broker accused of shipping hazardous e-waste declared as second-hand goods.",
            "May be armed.")
        {
            ChargeTranslation = "Trafficking of hazardous electronic waste", CountryOfBirth = "GB", Languages = ["ENG", "RUS"],
        },
        new("2014-90010", "Nakamura-Bell", "Aiko", Sex.Female, new(1986, 7, 3), ["TH", "JP"], [CrimeCategory.Other, CrimeCategory.Wildlife], "TH",
            "Laundering proceeds of wildlife crime",
            "SAMPLE DATA. Fictional accountant accused of laundering profits from wildlife trafficking.", null,
            NoticeStatus.Located)
        {
            CountryOfBirth = "JP", Languages = ["JPN", "THA", "ENG"],
        },
    ];

    public static async Task<bool> SeedAsync(AppDbContext db, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        if (await db.Operations.AnyAsync(o => o.Slug == OperationSlug, cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var operation = new Operation
        {
            Slug = OperationSlug,
            Name = "INFRA-Terra (sample)",
            Summary = "SAMPLE DATA. A fictional re-creation of a global operation against fugitives wanted for " +
                "environmental crime: wildlife trafficking, illegal logging, illegal fishing and pollution. " +
                "Every person listed here is invented for demonstration. If you recognise a wanted person, " +
                "tell investigators what you know: you can do it anonymously.",
            LaunchedOn = new DateOnly(2014, 11, 17),
            IsSample = true,
        };

        for (var seed = 0; seed < Notices.Length; seed++)
        {
            var first = seed;
            operation.Notices.Add(ToNotice(Notices[seed], now, now.AddMinutes(-seed), i =>
            {
                var portrait = NoticeImages.PlaceholderPortrait(first + i);
                return new Portrait(portrait, NoticeImages.Thumbnail(portrait.Bytes).Bytes);
            }));
        }

        db.Operations.Add(operation);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>How many sample notices there are to copy (<see cref="CopyOfSample"/>).</summary>
    public static int SampleCount => Notices.Length;

    /// <summary>A generated stand-in portrait with its list thumbnail.</summary>
    public sealed record Portrait(NoticeImages.Picture Picture, byte[] Thumbnail);

    /// <summary>An invented name for a copy of a sample: different person, same story.</summary>
    public sealed record CopyName(string FamilyName, string Forenames, IReadOnlyList<string> Aliases, DateOnly Born);

    /// <summary>
    /// A published copy of sample <paramref name="index"/> under another reference and name, built
    /// exactly as the samples are (search name, warrants, translations, photos, sample marks).
    /// <paramref name="portrait"/> gives the photo for each of the sample's photos (0, 1, ...).
    /// </summary>
    public static Notice CopyOfSample(int index, string reference, CopyName name, DateTime now, DateTime updatedAtUtc, Func<int, Portrait> portrait)
    {
        var sample = Notices[index] with
        {
            Reference = reference,
            FamilyName = name.FamilyName,
            Forenames = name.Forenames,
            Aliases = [.. name.Aliases],
            Born = name.Born,
        };
        return ToNotice(sample, now, updatedAtUtc, portrait);
    }

    /// <summary>Whether sample <paramref name="index"/> is a woman, so a copy gets a fitting forename.</summary>
    public static Sex SexOfSample(int index) => Notices[index].Sex;

    private static Notice ToNotice(SampleNotice sample, DateTime now, DateTime updatedAtUtc, Func<int, Portrait> portrait)
    {
        var notice = new Notice
        {
            Reference = sample.Reference,
            FamilyName = sample.FamilyName,
            Forenames = sample.Forenames,
            Aliases = [.. sample.Aliases],
            Sex = sample.Sex,
            DateOfBirth = sample.Born,
            PlaceOfBirth = sample.PlaceOfBirth,
            CountryOfBirth = sample.CountryOfBirth,
            Nationalities = [.. sample.Nationalities],
            HeightMetres = sample.Height,
            WeightKg = sample.Weight,
            EyeColours = [.. sample.Eyes],
            HairColours = [.. sample.Hair],
            DistinguishingMarks = sample.Marks,
            LanguagesSpoken = [.. sample.Languages],
            Categories = [.. sample.Categories],
            Summary = sample.Summary,
            Caution = sample.Caution,
            Reward = sample.Reward,
            TextLanguage = "en",
            Status = sample.Status,
            IsPublished = true,
            IsSample = true,
            UpdatedAtUtc = updatedAtUtc,
            StatusChangedAtUtc = now,
            Warrants = [new Warrant { IssuingCountry = sample.WarrantCountry, Charge = sample.Charge, ChargeTranslation = sample.ChargeTranslation }],
            Translations = [.. sample.Translations.Select(t => new NoticeTranslation { Language = t.Language, Summary = t.Summary, Caution = t.Caution })],
        };
        for (var i = 0; i < sample.Photos; i++)
        {
            var photo = portrait(i);
            notice.Photos.Add(new NoticePhoto
            {
                ContentType = photo.Picture.ContentType,
                Content = photo.Picture.Bytes,
                Width = photo.Picture.Width,
                Height = photo.Picture.Height,
                Thumbnail = photo.Thumbnail,
                AltText = $"Generated placeholder portrait {i + 1} for the fictional sample person {sample.Forenames} {sample.FamilyName}; not a real photograph",
            });
        }

        notice.RefreshSearchName();
        return notice;
    }
}
