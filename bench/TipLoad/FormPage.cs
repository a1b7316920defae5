using System.Net;
using System.Text.RegularExpressions;

namespace InfraTerra.Bench.TipLoad;

/// <summary>Reads what a browser would send back from the tip form, the receipt page and the notice list.</summary>
public static partial class FormPage
{
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputTag().Matches(html))
        {
            var tag = input.Value;
            if (!tag.Contains("type=\"hidden\"", StringComparison.Ordinal) || Attribute("name", tag) is not { } name)
            {
                continue;
            }

            fields.TryAdd(name, Attribute("value", tag) ?? "");
        }

        return fields;
    }

    public static string? ReceiptCode(string html) =>
        ReceiptTag().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;

    /// <summary>The first error the form shows when it comes back instead of a receipt.</summary>
    public static string? FirstError(string html) =>
        ErrorText().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).FirstOrDefault(e => e.Length > 0);

    public static IReadOnlyList<string> NoticeReferences(string html) =>
        [.. NoticeLink().Matches(html).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    private static string? Attribute(string name, string tag) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex("id=\"receipt-code\"[^>]*>([^<]+)<")]
    private static partial Regex ReceiptTag();

    [GeneratedRegex("(?:class=\"field-error[^\"]*\"[^>]*|<li)>([^<]+)<")]
    private static partial Regex ErrorText();

    [GeneratedRegex("href=\"/notices/(\\d{4}-\\d+)\"")]
    private static partial Regex NoticeLink();
}
