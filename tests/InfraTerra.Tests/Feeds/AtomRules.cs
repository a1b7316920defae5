using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace InfraTerra.Tests.Feeds;

/// <summary>
/// The structural rules of RFC 4287 that a feed reader relies on, checked without a schema
/// (the RFC's RELAX NG schema is informative and not available offline).
/// </summary>
public static partial class AtomRules
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private static readonly string[] FeedChildren =
        ["author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights", "subtitle", "title", "updated", "entry"];

    private static readonly string[] EntryChildren =
        ["author", "category", "content", "contributor", "id", "link", "published", "rights", "source", "summary", "title", "updated"];

    private static readonly string[] AtMostOnceInFeed = ["generator", "icon", "logo", "rights", "subtitle"];
    private static readonly string[] AtMostOnceInEntry = ["content", "published", "rights", "source", "summary"];

    public static IReadOnlyList<string> Violations(XDocument document)
    {
        var problems = new List<string>();
        var feed = document.Root;
        if (feed is null || feed.Name != Atom + "feed")
        {
            problems.Add($"root element is {feed?.Name}, not atom:feed");
            return problems;
        }

        CheckChildren(feed, "feed", FeedChildren, AtMostOnceInFeed, problems);
        CheckLinks(feed, "feed", problems);
        if (!feed.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") == "self"))
        {
            problems.Add("feed has no link rel=\"self\"");
        }

        var entries = feed.Elements(Atom + "entry").ToList();
        if (!feed.Elements(Atom + "author").Any() && entries.Any(e => !e.Elements(Atom + "author").Any()))
        {
            problems.Add("feed has no author and not every entry has one");
        }

        foreach (var author in feed.Descendants(Atom + "author"))
        {
            if (author.Elements(Atom + "name").Count() != 1)
            {
                problems.Add("an author has no single name");
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (entry, index) in entries.Select((e, i) => (e, i)))
        {
            var where = $"entry {index + 1}";
            CheckChildren(entry, where, EntryChildren, AtMostOnceInEntry, problems);
            CheckLinks(entry, where, problems);
            var content = entry.Element(Atom + "content");
            if (content is null && !entry.Elements(Atom + "link").Any(IsAlternate))
            {
                problems.Add($"{where} has neither content nor a link rel=\"alternate\"");
            }

            if (content?.Attribute("src") is not null && entry.Element(Atom + "summary") is null)
            {
                problems.Add($"{where} has out-of-line content but no summary");
            }

            if ((string?)entry.Element(Atom + "id") is { } id && !ids.Add(id))
            {
                problems.Add($"{where} repeats the id {id}");
            }

            foreach (var category in entry.Elements(Atom + "category").Concat(feed.Elements(Atom + "category")))
            {
                if (string.IsNullOrEmpty((string?)category.Attribute("term")))
                {
                    problems.Add($"{where} has a category without a term");
                }
            }
        }

        return problems;
    }

    public static bool IsRfc3339(string? value) =>
        value is not null
        && Rfc3339().IsMatch(value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    private static void CheckChildren(XElement parent, string where, string[] allowed, string[] atMostOnce, List<string> problems)
    {
        foreach (var child in parent.Elements().Where(e => e.Name.Namespace == Atom))
        {
            if (!allowed.Contains(child.Name.LocalName))
            {
                problems.Add($"{where} has an unknown atom:{child.Name.LocalName}");
            }
        }

        foreach (var required in new[] { "id", "title", "updated" })
        {
            var count = parent.Elements(Atom + required).Count();
            if (count != 1)
            {
                problems.Add($"{where} has {count} atom:{required}, needs exactly one");
            }
        }

        foreach (var single in atMostOnce)
        {
            if (parent.Elements(Atom + single).Count() > 1)
            {
                problems.Add($"{where} has more than one atom:{single}");
            }
        }

        if (parent.Element(Atom + "id") is { } id && !IsAbsoluteIri(id.Value))
        {
            problems.Add($"{where} id '{id.Value}' is not an absolute IRI");
        }

        if (parent.Element(Atom + "title") is { } title && string.IsNullOrWhiteSpace(title.Value))
        {
            problems.Add($"{where} has an empty title");
        }

        foreach (var date in parent.Elements(Atom + "updated").Concat(parent.Elements(Atom + "published")))
        {
            if (!IsRfc3339(date.Value))
            {
                problems.Add($"{where} {date.Name.LocalName} '{date.Value}' is not an RFC 3339 date-time");
            }
        }

        foreach (var text in parent.Elements().Where(e => e.Name.Namespace == Atom && e.Name.LocalName is "title" or "subtitle" or "summary" or "rights"))
        {
            if ((string?)text.Attribute("type") is { } type && type is not ("text" or "html" or "xhtml"))
            {
                problems.Add($"{where} {text.Name.LocalName} has type '{type}'");
            }
        }
    }

    private static void CheckLinks(XElement parent, string where, List<string> problems)
    {
        var links = parent.Elements(Atom + "link").ToList();
        foreach (var link in links)
        {
            // No xml:base is used, so a relative href would have nothing to resolve against outside the site.
            if (!IsAbsoluteIri((string?)link.Attribute("href")))
            {
                problems.Add($"{where} has a link whose href '{(string?)link.Attribute("href")}' is not absolute");
            }
        }

        var alternates = links.Where(IsAlternate)
            .GroupBy(l => ((string?)l.Attribute("type"), (string?)l.Attribute("hreflang")))
            .Where(g => g.Count() > 1);
        if (alternates.Any())
        {
            problems.Add($"{where} has two alternate links with the same type and hreflang");
        }
    }

    /// <summary>Written with its scheme: on Unix <see cref="Uri"/> also takes "/path" as an absolute file URI.</summary>
    public static bool IsAbsoluteIri(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && value.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);

    private static bool IsAlternate(XElement link) => ((string?)link.Attribute("rel") ?? "alternate") == "alternate";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
