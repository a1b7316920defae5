using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Localization;

/// <summary>
/// Every UI string is looked up by its English text; these keep the French, Spanish and Arabic
/// resource files in step with the code, and say exactly which strings to translate.
/// </summary>
public sealed partial class TranslationCoverageTests
{
    private const string ResourcesFolder = "src/InfraTerra.Web/Resources";

    private static readonly string Root = FindRoot();
    private static readonly string[] Languages = ["fr", "es", "ar"];

    /// <summary>Enums whose member names are shown through the localizer (<c>T[value.ToString()]</c>).</summary>
    private static readonly Type[] LookedUpEnums =
        [typeof(Sex), typeof(CrimeCategory), typeof(NoticeStatus), typeof(TipStatus), typeof(PublicTipStatus)];

    [Fact]
    public void EveryUiString_HasATranslationInEveryLanguage()
    {
        var keys = UsedKeys();
        Assert.True(keys.Count > 100, $"the source scan found only {keys.Count} keys; is the pattern still right?");

        var problems = new StringBuilder();
        var count = 0;
        foreach (var language in Languages)
        {
            var (entries, duplicates) = ReadResx(language);
            foreach (var duplicate in duplicates)
            {
                count++;
                problems.AppendLine(CultureInvariant($"  {language}: \"{duplicate}\" appears more than once"));
            }

            foreach (var (key, usedIn) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                if (!entries.TryGetValue(key, out var translation) || string.IsNullOrWhiteSpace(translation))
                {
                    count++;
                    problems.AppendLine(CultureInvariant($"  {language}: \"{key}\"    (used in {usedIn})"));
                }
                else if (!Placeholders(key).SequenceEqual(Placeholders(translation)))
                {
                    count++;
                    problems.AppendLine(CultureInvariant(
                        $"  {language}: \"{key}\" -> \"{translation}\": placeholders {string.Join(" ", Placeholders(key))} expected, found {string.Join(" ", Placeholders(translation))}"));
                }
            }
        }

        Assert.True(count == 0, CultureInvariant(
            $"{count} translation problem(s). Add or fix these <data name=\"English text\"><value>translation</value></data> entries in {ResourcesFolder}/SharedResource.<language>.resx:{Environment.NewLine}{problems}"));
    }

    [Fact]
    public void NoResxEntry_IsUnused()
    {
        var keys = UsedKeys();

        var problems = new StringBuilder();
        var count = 0;
        foreach (var language in Languages)
        {
            foreach (var key in ReadResx(language).Entries.Keys.Where(k => !keys.ContainsKey(k)).Order(StringComparer.Ordinal))
            {
                count++;
                problems.AppendLine(CultureInvariant($"  {language}: \"{key}\""));
            }
        }

        Assert.True(count == 0, CultureInvariant(
            $"{count} resource entr(ies) match no T[\"...\"] in the code, no looked-up enum member and no colour. Remove them (or fix the key) in {ResourcesFolder}:{Environment.NewLine}{problems}"));
    }

    /// <summary>Every key the app can look up, with one place it comes from.</summary>
    private static Dictionary<string, string> UsedKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var sourceRoot = Path.Combine(Root, "src", "InfraTerra.Web");
        var files = Directory.EnumerateFiles(sourceRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !IsBuildOutput(Path.GetRelativePath(sourceRoot, f)))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
            foreach (Match match in LiteralLookup().Matches(File.ReadAllText(file)))
            {
                keys.TryAdd(Regex.Unescape(match.Groups[1].Value), relative);
            }
        }

        foreach (var type in LookedUpEnums)
        {
            foreach (var name in Enum.GetNames(type))
            {
                keys.TryAdd(name, $"enum {type.Name}");
            }
        }

        foreach (var name in Colours.AllNames)
        {
            keys.TryAdd(name, "Colours");
        }

        return keys;
    }

    private static bool IsBuildOutput(string relativePath)
    {
        var first = relativePath.Split('/', '\\')[0];
        return first is "bin" or "obj";
    }

    private static (Dictionary<string, string> Entries, List<string> Duplicates) ReadResx(string language)
    {
        var path = Path.Combine(Root, ResourcesFolder, $"SharedResource.{language}.resx");
        Assert.True(File.Exists(path), $"{path} is missing");
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        foreach (var data in XDocument.Load(path).Root!.Elements("data"))
        {
            var name = (string)data.Attribute("name")!;
            if (!entries.TryAdd(name, (string?)data.Element("value") ?? ""))
            {
                duplicates.Add(name);
            }
        }

        return (entries, duplicates);
    }

    private static List<string> Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "InfraTerra.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    /// <summary><c>T["..."]</c> in views, <c>t["..."]</c> in page models and validators; escapes allowed.</summary>
    [GeneratedRegex("""\b[Tt]\[\s*"((?:[^"\\]|\\.)*)"\s*[,\]]""")]
    private static partial Regex LiteralLookup();

    [GeneratedRegex(@"\{\d+(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
