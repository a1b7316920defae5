// Invented names for a bench, the same every run: a seeded Random is the point, not a weakness.
#pragma warning disable CA5394
using System.Diagnostics;
using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

// Fills a migrated, seeded database with copies of the sample notices under invented names, for
// bench/notices-vs-static.sh only (the operator command for demos is another piece of work). Every
// copy is marked IsSample and its summary starts "SAMPLE DATA". Copies carry no photo.
// Usage: NoticeFill --provider Sqlite|Postgres --connection "<connection string>" --count <published notices wanted>
var values = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    values[args[i].TrimStart('-')] = args[i + 1];
}

if (!values.TryGetValue("provider", out var provider) || !values.TryGetValue("connection", out var connection)
    || !values.TryGetValue("count", out var countText) || !int.TryParse(countText, CultureInfo.InvariantCulture, out var wanted) || wanted is < 1 or > 1_000_000)
{
    Console.Error.WriteLine("Usage: NoticeFill --provider Sqlite|Postgres --connection \"...\" --count 1..1000000");
    return 2;
}

AppDbContext Open() => provider.ToLowerInvariant() switch
{
    "postgres" => new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(connection).Options),
    "sqlite" => new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connection).Options),
    _ => throw new ArgumentException($"Unknown provider {provider}"),
};

var clock = Stopwatch.StartNew();
List<Notice> samples;
await using (var db = Open())
{
    samples = await db.Notices.AsNoTracking().Where(n => n.IsPublished)
        .Include(n => n.Warrants).Include(n => n.Translations).OrderBy(n => n.Id).ToListAsync();
}

var existing = samples.Count;
if (samples.Count == 0)
{
    Console.Error.WriteLine("No published notice to copy: seed the sample data first.");
    return 1;
}

string[] syllables = ["ka", "lo", "mir", "tan", "ve", "dru", "sol", "beth", "quo", "ran", "zel", "pa", "nor", "wyn", "gha", "tiv", "os", "rek", "lua", "xim"];
string[] forenames = ["Amani", "Tobias", "Mireya", "Radek", "Sira", "Priyanka", "Baxter", "Quentin", "Dmitri", "Lena", "Oluwaseun", "Haruto", "Ines", "Yara"];
var random = new Random(12);
var now = DateTime.UtcNow;
var added = 0;
while (existing + added < wanted)
{
    await using var db = Open();
    var batch = Math.Min(2_000, wanted - existing - added);
    for (var i = 0; i < batch; i++)
    {
        var n = added + i;
        var sample = samples[n % samples.Count];
        var family = string.Concat(Enumerable.Range(0, 3).Select(_ => syllables[random.Next(syllables.Length)]));
        var copy = new Notice
        {
            // Numbered after what is there, so a second fill (10 -> 10,000 -> 100,000) adds new references.
            Reference = $"2099-{existing + n + 1:D6}",
            FamilyName = char.ToUpperInvariant(family[0]) + family[1..],
            Forenames = forenames[random.Next(forenames.Length)],
            Aliases = [],
            Sex = sample.Sex,
            DateOfBirth = sample.DateOfBirth?.AddDays(random.Next(-4000, 4000)),
            PlaceOfBirth = sample.PlaceOfBirth,
            CountryOfBirth = sample.CountryOfBirth,
            Nationalities = [.. sample.Nationalities],
            HeightMetres = sample.HeightMetres,
            WeightKg = sample.WeightKg,
            EyeColours = [.. sample.EyeColours],
            HairColours = [.. sample.HairColours],
            DistinguishingMarks = sample.DistinguishingMarks,
            LanguagesSpoken = [.. sample.LanguagesSpoken],
            Categories = [.. sample.Categories],
            Summary = sample.Summary.StartsWith("SAMPLE DATA", StringComparison.Ordinal) ? sample.Summary : "SAMPLE DATA. " + sample.Summary,
            Caution = sample.Caution,
            Reward = sample.Reward,
            TextLanguage = sample.TextLanguage,
            Status = NoticeStatus.Wanted,
            IsPublished = true,
            IsSample = true,
            UpdatedAtUtc = now.AddMinutes(-n - 100),
            StatusChangedAtUtc = now.AddDays(-1),
            Warrants = [.. sample.Warrants.Select(w => new Warrant { IssuingCountry = w.IssuingCountry, Charge = w.Charge, ChargeTranslation = w.ChargeTranslation })],
            Translations = [.. sample.Translations.Select(t => new NoticeTranslation { Language = t.Language, Summary = t.Summary, Caution = t.Caution, Reward = t.Reward, DistinguishingMarks = t.DistinguishingMarks })],
        };
        copy.RefreshSearchName();
        db.Notices.Add(copy);
    }

    await db.SaveChangesAsync();
    added += batch;
}

Console.WriteLine($"NoticeFill: {existing} published before, {added} sample copies added, {existing + added} now; {clock.Elapsed.TotalSeconds:F1} s");
return 0;
