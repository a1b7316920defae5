using System.Collections.Concurrent;
using System.Globalization;

namespace InfraTerra.Web.Domain;

/// <summary>ISO 3166-1 alpha-2 codes, and their names in the visitor's language.</summary>
public static class Countries
{
    // One simple culture per region ("en-KE" where it exists), whose display name ICU localizes.
    private static readonly Dictionary<string, string> CultureForRegion = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Where(c => c.Name.Split('-') is [{ Length: 2 or 3 }, { Length: 2 }])
        .Select(c => (Region: c.Name[(c.Name.IndexOf('-') + 1)..], c.Name))
        .Where(x => x.Region.All(char.IsAsciiLetterUpper))
        .GroupBy(x => x.Region)
        .ToDictionary(g => g.Key, g => g.Select(x => x.Name).OrderBy(n => n.StartsWith("en-", StringComparison.Ordinal) ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal).First(), StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<(string Language, string Code), string> Names = new();
    private static readonly ConcurrentDictionary<string, IReadOnlyList<(string Code, string Name)>> SortedLists = new(StringComparer.Ordinal);

    public static IEnumerable<string> AllCodes => CultureForRegion.Keys;

    /// <summary>Every country, by its name in the current UI language.</summary>
    /// <summary>Every country, sorted by its name in the current UI language (sorted once per language: the tip form lists them all).</summary>
    public static IReadOnlyList<(string Code, string Name)> AllByName() =>
        SortedLists.GetOrAdd(CultureInfo.CurrentUICulture.Name, _ =>
            [.. AllCodes.Select(code => (code, Name(code))).OrderBy(c => c.Item2, StringComparer.Create(CultureInfo.CurrentUICulture, ignoreCase: true))]);

    public static bool IsKnown(string? code) => code is { Length: 2 } && CultureForRegion.ContainsKey(code);

    /// <summary>The country's name in the current UI language, or the code itself if it has none.</summary>
    public static string Name(string code) =>
        !IsKnown(code) ? code : Names.GetOrAdd((CultureInfo.CurrentUICulture.Name, code), key => Localized(key.Code));

    private static string Localized(string code)
    {
        // "anglais (Kenya)" → "Kenya"; ICU has region names in every language, .NET exposes them only this way.
        var display = CultureInfo.GetCultureInfo(CultureForRegion[code]).DisplayName;
        var open = display.IndexOf('(', StringComparison.Ordinal);
        var close = display.LastIndexOf(')');
        return open >= 0 && close > open + 1 ? display[(open + 1)..close] : new RegionInfo(code).DisplayName;
    }
}
