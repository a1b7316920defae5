using System.Globalization;
using System.Text;

namespace InfraTerra.Web.Domain;

/// <summary>What of a tip the similarity needs: its plain sighting columns and what the tipster wrote, opened.</summary>
public sealed record SimilarityInput(DateOnly? SightedOn, string? SightingCountry, string? Place, string Description);

/// <summary>Why two tips look alike, in words for the officer ("same day", "similar text 72 %").</summary>
public sealed record SimilarityMatch(int Score, IReadOnlyList<string> Reasons);

/// <summary>
/// How alike two tips are, from 0 to 100: sighting dates close, the same sighting country, the
/// place and the description alike. Text is compared as sets of character trigrams of its words
/// (Jaccard), after folding case and accents and dropping common words, so "Café du Port" and
/// "cafe du port," match and a misspelt word still shares most of its trigrams. Pure: the caller
/// opens the tips and chooses the candidates.
/// </summary>
public static class TipSimilarity
{
    public const int DateWeight = 20;
    public const int CountryWeight = 10;
    public const int PlaceWeight = 30;
    public const int TextWeight = 40;

    /// <summary>Below this a candidate is not worth an officer's look.</summary>
    public const int MinimumScore = 35;

    /// <summary>Text alike from here on is named as a reason.</summary>
    public const double SimilarTextFrom = 0.25;

    public const double SimilarPlaceFrom = 0.4;

    /// <summary>Words that say nothing about a sighting, in the site's languages (English, French, Spanish; Arabic text keeps all its words).</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "he", "her", "him", "his", "i", "in", "is", "it", "its",
        "me", "my", "of", "on", "or", "she", "that", "the", "their", "them", "there", "they", "this", "to", "was", "we", "were",
        "with", "who", "you", "saw", "seen", "see", "man", "woman", "person",
        "au", "aux", "ce", "dans", "de", "des", "du", "elle", "en", "est", "et", "il", "je", "la", "le", "les", "un", "une", "sur", "vu",
        "al", "con", "del", "el", "ella", "es", "los", "las", "lo", "por", "se", "su", "y", "visto",
    };

    /// <summary>A tip's text features, computed once per tip: a candidate list compares one subject with hundreds.</summary>
    public sealed class Features
    {
        internal Features(SimilarityInput tip)
        {
            Tip = tip;
            Place = Trigrams(tip.Place);
            Text = Trigrams(tip.Description);
        }

        internal SimilarityInput Tip { get; }
        internal HashSet<string> Place { get; }
        internal HashSet<string> Text { get; }
    }

    public static Features Prepare(SimilarityInput tip) => new(tip);

    public static SimilarityMatch Compare(SimilarityInput subject, SimilarityInput candidate) => Compare(Prepare(subject), Prepare(candidate));

    public static SimilarityMatch Compare(Features subject, Features candidate)
    {
        var reasons = new List<string>();
        double score = 0;

        if (subject.Tip.SightedOn is { } a && candidate.Tip.SightedOn is { } b)
        {
            var days = Math.Abs(a.DayNumber - b.DayNumber);
            var (weight, reason) = days switch
            {
                0 => (1.0, "same day"),
                1 => (0.75, "1 day apart"),
                <= 3 => (0.5, $"{days.ToString(CultureInfo.InvariantCulture)} days apart"),
                <= 7 => (0.25, "same week"),
                _ => (0.0, null),
            };
            score += weight * DateWeight;
            if (reason is not null)
            {
                reasons.Add(reason);
            }
        }

        if (subject.Tip.SightingCountry is { Length: > 0 } country
            && string.Equals(country, candidate.Tip.SightingCountry, StringComparison.OrdinalIgnoreCase))
        {
            score += CountryWeight;
            reasons.Add("same country");
        }

        var place = Jaccard(subject.Place, candidate.Place);
        score += place * PlaceWeight;
        if (place >= SimilarPlaceFrom)
        {
            reasons.Add(place >= 0.99 ? "same place" : "similar place");
        }

        var text = Jaccard(subject.Text, candidate.Text);
        score += text * TextWeight;
        if (text >= SimilarTextFrom)
        {
            reasons.Add($"similar text {Percent(text).ToString(CultureInfo.InvariantCulture)} %");
        }

        return new SimilarityMatch((int)Math.Round(score, MidpointRounding.AwayFromZero), reasons);
    }

    /// <summary>Lower case, accents removed, every run of non-letters and non-digits one space, common words dropped.</summary>
    public static IReadOnlyList<string> Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            folded.Append(char.IsLetterOrDigit(c) ? c : ' ');
        }

        return [.. folded.ToString().Normalize(NormalizationForm.FormC)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !StopWords.Contains(w))];
    }

    /// <summary>The character trigrams of each word, padded so that short words and word edges count.</summary>
    public static HashSet<string> Trigrams(string? text)
    {
        var grams = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            var padded = $" {word} ";
            for (var i = 0; i + 3 <= padded.Length; i++)
            {
                grams.Add(padded.Substring(i, 3));
            }
        }

        return grams;
    }

    /// <summary>Shared over all: 0 when either side is empty (nothing said is not "alike").</summary>
    public static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var shared = small.Count(large.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    private static int Percent(double share) => (int)Math.Round(share * 100, MidpointRounding.AwayFromZero);
}
