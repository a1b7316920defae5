using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Data;

/// <summary>
/// Fictional sample data for demos and development. Every person here is invented; every
/// record is flagged <c>IsSample</c> and shown with a "Sample data" label.
/// </summary>
public static class DemoData
{
    public const string OperationSlug = "infra-terra";

    private sealed record SampleNotice(
        string Reference, string FamilyName, string Forenames, Sex Sex, DateOnly Born, string[] Nationalities,
        CrimeCategory Category, string WarrantCountry, string Charge, string Summary, string? Caution,
        NoticeStatus Status = NoticeStatus.Wanted);

    private static readonly SampleNotice[] Notices =
    [
        new("2014-90001", "Ondrako", "Fëisal Amani", Sex.Male, new(1971, 3, 14), ["KE", "TZ"], CrimeCategory.Wildlife, "KE",
            "Leading an organised ivory-smuggling network",
            "SAMPLE DATA. Fictional alleged ringleader of a network moving ivory through East African ports.",
            "May be armed. Do not approach."),
        new("2014-90002", "Marlowe-Ashby", "Quentin", Sex.Male, new(1965, 11, 2), ["ZA"], CrimeCategory.Wildlife, "ZA",
            "Trafficking in rhinoceros horn",
            "SAMPLE DATA. Fictional dealer accused of buying rhino horn from poaching gangs.", null),
        new("2014-90003", "Velusamy", "Priyanka Devi", Sex.Female, new(1980, 6, 21), ["IN"], CrimeCategory.Wildlife, "IN",
            "Illegal trade in pangolin scales",
            "SAMPLE DATA. Fictional broker accused of shipping pangolin scales in mislabelled freight.", null),
        new("2014-90004", "Torrance", "Baxter Eli", Sex.Male, new(1975, 1, 9), ["BR", "PT"], CrimeCategory.Timber, "BR",
            "Illegal logging in a protected forest",
            "SAMPLE DATA. Fictional sawmill owner accused of laundering protected hardwood with forged permits.",
            "Known to use violence against witnesses."),
        new("2014-90005", "Železný", "Radek", Sex.Male, new(1969, 8, 30), ["CZ"], CrimeCategory.Timber, "MG",
            "Export of protected rosewood",
            "SAMPLE DATA. Fictional exporter accused of moving rosewood logs out of a national park.", null),
        new("2014-90006", "Ahmadou-Kébé", "Sira", Sex.Female, new(1983, 4, 17), ["SN"], CrimeCategory.Fisheries, "SN",
            "Illegal, unreported and unregulated fishing",
            "SAMPLE DATA. Fictional operator of vessels accused of fishing in closed waters under false flags.", null),
        new("2014-90007", "Lindgren-Okafor", "Tobias", Sex.Male, new(1977, 12, 5), ["NO", "NG"], CrimeCategory.Fisheries, "ID",
            "Shark-finning and transhipment at sea",
            "SAMPLE DATA. Fictional fleet manager accused of finning protected sharks.", null),
        new("2014-90008", "Castellanos Ruiz", "Mireya", Sex.Female, new(1972, 2, 28), ["CO"], CrimeCategory.Pollution, "CO",
            "Dumping of toxic waste in a river basin",
            "SAMPLE DATA. Fictional waste contractor accused of dumping mercury-laden sludge.", null),
        new("2014-90009", "Holloway-Praxis", "Dmitri", Sex.Male, new(1968, 9, 12), ["GB", "CY"], CrimeCategory.Pollution, "IT",
            "Trafficking of hazardous electronic waste",
            "SAMPLE DATA. Fictional broker accused of shipping hazardous e-waste declared as second-hand goods.",
            "May be armed."),
        new("2014-90010", "Nakamura-Bell", "Aiko", Sex.Female, new(1986, 7, 3), ["TH", "JP"], CrimeCategory.Other, "TH",
            "Laundering proceeds of wildlife crime",
            "SAMPLE DATA. Fictional accountant accused of laundering profits from wildlife trafficking.", null,
            NoticeStatus.Located),
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
                "Every person listed here is invented for demonstration.",
            IsSample = true,
        };

        var seed = 0;
        foreach (var sample in Notices)
        {
            var notice = new Notice
            {
                Reference = sample.Reference,
                FamilyName = sample.FamilyName,
                Forenames = sample.Forenames,
                Sex = sample.Sex,
                DateOfBirth = sample.Born,
                Nationalities = [.. sample.Nationalities],
                Category = sample.Category,
                Summary = sample.Summary,
                Caution = sample.Caution,
                Status = sample.Status,
                IsPublished = true,
                IsSample = true,
                UpdatedAtUtc = now,
                StatusChangedAtUtc = now,
                Warrants = [new Warrant { IssuingCountry = sample.WarrantCountry, Charge = sample.Charge }],
                Photos =
                [
                    new NoticePhoto
                    {
                        ContentType = "image/svg+xml",
                        Content = PlaceholderPhoto.Svg(sample.FamilyName, sample.Forenames, seed++),
                        AltText = $"Generated placeholder image for the fictional sample person {sample.Forenames} {sample.FamilyName}",
                    },
                ],
            };
            notice.RefreshSearchName();
            operation.Notices.Add(notice);
        }

        db.Operations.Add(operation);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
