using System.Globalization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Images;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure;

/// <summary>
/// Many published sample notices for benches and demos (<c>generate-notices</c>): copies of the
/// <see cref="DemoData"/> samples under invented names, built by the same code, so every one is
/// flagged <c>IsSample</c>, says "SAMPLE DATA" in its texts and shows the sample label.
/// </summary>
public sealed class BulkNotices(AppDbContext db, TimeProvider clock)
{
    /// <summary>References are <c>2099-000001</c> onwards: a year no real or demo notice has, and six digits.</summary>
    public const string ReferencePrefix = "2099-";

    public const int MaxReference = 999_999;
    public const int MaxCount = 500_000;

    /// <summary>Operation pages list all their notices, so the generated ones come in operations of this size.</summary>
    public const int NoticesPerOperation = 100;

    private const int BatchSize = 1_000;

    /// <summary>
    /// Real photos are rarely shared, but stand-ins may be: the few colours of the placeholder are
    /// drawn once and their bytes reused, which keeps generation fast.
    /// </summary>
    private const int PortraitVariants = 6;

    public sealed class NoReferencesLeft(string message) : Exception(message);

    public sealed record Result(int Created, string FirstReference, string LastReference, int Operations, TimeSpan Took);

    public async Task<Result> GenerateAsync(int count, int seed, CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {MaxCount:N0} notices at a time.");
        }

        var started = clock.GetTimestamp();
        var last = await db.Notices.Where(n => n.Reference.StartsWith(ReferencePrefix))
            .Select(n => (string?)n.Reference).MaxAsync(cancellationToken);
        var next = last is null ? 1 : int.Parse(last[ReferencePrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture) + 1;
        if (next + count - 1 > MaxReference)
        {
            throw new NoReferencesLeft(
                $"Only {Math.Max(0, MaxReference - next + 1):N0} generated references are left ({ReferencePrefix}{next:D6} to {ReferencePrefix}{MaxReference:D6}).");
        }

        // Small stand-ins, a card's 1x picture as JPEG: the demo's PNG would make 100,000 notices weigh gigabytes.
        var portraits = Enumerable.Range(0, PortraitVariants).Select(v =>
        {
            var picture = NoticeImages.CardPicture(NoticeImages.PlaceholderPortrait(v).Bytes, NoticeImages.CardWidth);
            return new DemoData.Portrait(picture, NoticeImages.Thumbnail(picture.Bytes).Bytes);
        }).ToArray();
        var names = new InventedNames(seed);
        var now = clock.GetUtcNow().UtcDateTime;

        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var operations = 0;
        try
        {
            for (var done = 0; done < count;)
            {
                var batch = Math.Min(BatchSize, count - done);
                var inBatch = new List<Operation>();
                Operation? operation = null;
                for (var i = 0; i < batch; i++, done++)
                {
                    var number = next + done;
                    var reference = string.Create(CultureInfo.InvariantCulture, $"{ReferencePrefix}{number:D6}");
                    if (operation is null || done % NoticesPerOperation == 0)
                    {
                        operation = NewOperation(number, Math.Min(NoticesPerOperation, count - done));
                        inBatch.Add(operation);
                        operations++;
                    }

                    var sample = names.Sample(DemoData.SampleCount);
                    var name = names.For(DemoData.SexOfSample(sample));
                    operation.Notices.Add(DemoData.CopyOfSample(sample, reference, name, now, now.AddSeconds(-number),
                        photo => portraits[(number + photo) % PortraitVariants]));
                }

                // Added once complete: with change detection off, the context sees a graph as it is when added.
                db.Operations.AddRange(inBatch);
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }

        var first = string.Create(CultureInfo.InvariantCulture, $"{ReferencePrefix}{next:D6}");
        var lastCreated = string.Create(CultureInfo.InvariantCulture, $"{ReferencePrefix}{next + count - 1:D6}");
        return new Result(count, first, lastCreated, operations, clock.GetElapsedTime(started));
    }

    private static Operation NewOperation(int first, int size) => new()
    {
        Slug = string.Create(CultureInfo.InvariantCulture, $"generated-{ReferencePrefix}{first:D6}"),
        Name = string.Create(CultureInfo.InvariantCulture,
            $"Generated notices {ReferencePrefix}{first:D6} to {ReferencePrefix}{first + size - 1:D6} (sample)"),
        Summary = "SAMPLE DATA. Notices generated for tests and demonstrations: copies of the sample notices under "
            + "invented names. Every person listed here is invented.",
        LaunchedOn = new DateOnly(2099, 1, 1),
        IsSample = true,
    };
}

/// <summary>
/// A seeded mix of family names and forenames from several regions, with accents and the usual
/// transliterations of one name (Muhammad, Mohammed; Aleksandr, Alexander; Nguyễn), so that search
/// variants can be tried on many notices.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness",
    Justification = "Invented names must repeat for a given seed; nothing here is secret.")]
internal sealed class InventedNames(int seed)
{
    private static readonly string[] FamilyNames =
    [
        // Arabic, in several transliterations
        "Al-Hassan", "El-Hassan", "Haddad", "Abdallah", "Abdullah", "Benali", "Mansour", "Al-Rashid", "Qureshi", "Chaouki",
        // Vietnamese, with and without diacritics
        "Nguyễn", "Nguyen", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng",
        // Russian and other Slavic, transliterated
        "Ivanov", "Ivanova", "Kuznetsov", "Volkov", "Sokolova", "Smirnov", "Dvořák", "Kowalczyk", "Łukaszewicz",
        // African
        "Okonkwo", "Diallo", "Mensah", "Traoré", "Kouassi", "Mwangi", "Otieno", "Ndiaye", "Ogunleye",
        // Latin American and Iberian
        "García", "Muñoz", "Peña", "Gonçalves", "Conceição", "Hernández", "Álvarez", "São Paulo-Reis",
        // European
        "Müller", "Dubois", "Lefèvre", "Søndergaard", "Öztürk", "Kovács", "Van der Berg", "O'Connell",
        // Asian
        "Sharma", "Chowdhury", "Perera", "Wang", "Zhang", "Kim", "Tanaka", "Santos", "Bui",
    ];

    private static readonly string[] MaleForenames =
    [
        "Muhammad", "Mohammed", "Mohamed", "Mohammad", "Ahmed", "Youssef", "Yusuf", "Khaled",
        "Aleksandr", "Alexander", "Alexandre", "Aleksei", "Dmitri", "Dmitriy", "Sergei", "Sergey",
        "Văn Hùng", "Minh", "Đức Anh", "Chinedu", "Kwame", "Mamadou", "Oluwaseun",
        "José", "João", "Andrés", "François", "Jérôme", "Jürgen", "Łukasz", "Søren", "Çağrı", "Arjun", "Wei", "Hiroshi",
    ];

    private static readonly string[] FemaleForenames =
    [
        "Fatima", "Fatma", "Aïcha", "Aisha", "Khadija", "Mariam", "Maryam",
        "Aleksandra", "Alexandra", "Natalia", "Natalya", "Yekaterina", "Ekaterina",
        "Thị Lan", "Ngọc Anh", "Thu Hà", "Amina", "Aminata", "Wanjiru", "Chiamaka",
        "María José", "Inês", "Hélène", "Zoë", "Małgorzata", "Çağla", "Priya", "Mei", "Yuki",
    ];

    private readonly Random _random = new(seed);

    public int Sample(int count) => _random.Next(count);

    public DemoData.CopyName For(Sex sex)
    {
        var forenames = sex == Sex.Female ? FemaleForenames : MaleForenames;
        var family = Pick(FamilyNames);
        var given = Pick(forenames);
        if (_random.Next(5) == 0)
        {
            var second = Pick(forenames);
            given = second == given ? given : $"{given} {second}";
        }

        // Some are known under another name, as wanted people often are.
        IReadOnlyList<string> aliases = _random.Next(4) == 0 ? [$"{Pick(forenames)} {Pick(FamilyNames)}"] : [];
        var born = new DateOnly(1950, 1, 1).AddDays(_random.Next(365 * 50));
        return new DemoData.CopyName(family, given, aliases, born);
    }

    private string Pick(string[] names) => names[_random.Next(names.Length)];
}
