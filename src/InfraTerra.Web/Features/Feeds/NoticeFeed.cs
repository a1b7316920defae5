using System.Text;
using System.Xml;
using System.Xml.Linq;
using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Feeds;

/// <summary>Atom 1.0 (RFC 4287) feed of the publicly listed notices, most recently updated first.</summary>
public static class NoticeFeed
{
    public const string Path = "/feeds/notices.atom";
    public const string ContentType = "application/atom+xml; charset=utf-8";
    public const int MaxEntries = 100;
    public const string SampleLabel = "SAMPLE DATA";

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static async Task<IResult> GetAsync(
        HttpContext http, PublicCatalogue catalogue, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var notices = (await catalogue.GetAsync(cancellationToken)).Search(new NoticeFilter(), NoticeSort.Updated, now, 0, MaxEntries).Notices;
        return Results.Bytes(Serialize(Build(http, notices, now)), ContentType);
    }

    private static XDocument Build(HttpContext http, IReadOnlyList<Notice> notices, DateTime nowUtc)
    {
        var feedUrl = SiteLinks.Absolute(http, Path);
        // With no entry there is no last change to name; now is the honest upper bound.
        var updated = notices.Count > 0 ? notices.Max(n => n.UpdatedAtUtc) : nowUtc;
        return new XDocument(
            new XElement(Atom + "feed",
                new XAttribute(XNamespace.Xml + "lang", "en"),
                new XElement(Atom + "id", feedUrl),
                new XElement(Atom + "title", "InfraTerra: wanted notices"),
                new XElement(Atom + "subtitle", "Fugitives wanted for environmental crime. If you recognise someone, report what you know, anonymously if you wish."),
                new XElement(Atom + "updated", SiteLinks.Timestamp(updated)),
                Link("self", "application/atom+xml", feedUrl),
                Link("alternate", "text/html", SiteLinks.Absolute(http, "/notices")),
                new XElement(Atom + "author",
                    new XElement(Atom + "name", "InfraTerra"),
                    new XElement(Atom + "uri", SiteLinks.Absolute(http, "/"))),
                notices.Select(n => Entry(http, n))));
    }

    private static XElement Entry(HttpContext http, Notice notice)
    {
        var url = SiteLinks.Absolute(http, SiteLinks.NoticePath(notice.Reference));
        return new XElement(Atom + "entry",
            new XElement(Atom + "id", url),
            new XElement(Atom + "title", XmlText.Valid(notice.DisplayName)),
            new XElement(Atom + "updated", SiteLinks.Timestamp(notice.UpdatedAtUtc)),
            Link("alternate", "text/html", url),
            new XElement(Atom + "summary",
                new XAttribute(XNamespace.Xml + "lang", XmlText.Valid(notice.TextLanguage)),
                XmlText.Valid(SummaryOf(notice))),
            notice.Categories.Select(c => new XElement(Atom + "category",
                new XAttribute("term", c.ToString().ToLowerInvariant()),
                new XAttribute("label", c.ToString()))));
    }

    /// <summary>Sample notices say so wherever they are shown, even if an edit lost the label.</summary>
    private static string SummaryOf(Notice notice) =>
        notice.IsSample && !notice.Summary.StartsWith(SampleLabel, StringComparison.Ordinal)
            ? $"{SampleLabel}. {notice.Summary}"
            : notice.Summary;

    private static XElement Link(string rel, string type, string href) =>
        new(Atom + "link", new XAttribute("rel", rel), new XAttribute("type", type), new XAttribute("href", href));

    private static byte[] Serialize(XDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }
}
