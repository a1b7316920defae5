using System.Globalization;

namespace InfraTerra.Web.Domain;

/// <summary>Spoken languages are stored as INTERPOL writes them (ISO 639-2/3, upper case); shown by name.</summary>
public static class Languages
{
    private static readonly Dictionary<string, string> ByThreeLetterCode = CultureInfo.GetCultures(CultureTypes.NeutralCultures)
        .Where(c => c.ThreeLetterISOLanguageName.Length == 3)
        .GroupBy(c => c.ThreeLetterISOLanguageName.ToUpperInvariant())
        .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);

    public static bool IsKnown(string code) => ByThreeLetterCode.ContainsKey(code);

    /// <summary>The language's name in the visitor's language, or the code if it is unknown.</summary>
    public static string Name(string code) =>
        ByThreeLetterCode.TryGetValue(code, out var culture) ? CultureInfo.GetCultureInfo(culture).DisplayName : code;
}
