using System.Xml.Linq;

namespace InfraTerra.Tests.Feeds;

/// <summary>The validator the feed tests lean on must itself reject broken feeds.</summary>
public sealed class AtomRulesTests
{
    private const string ValidFeed = """
        <feed xmlns="http://www.w3.org/2005/Atom">
          <id>tag:example.org,2014:feed</id>
          <title>t</title>
          <updated>2014-11-17T10:00:00Z</updated>
          <link rel="self" href="https://example.org/feed"/>
          <author><name>a</name></author>
          <entry>
            <id>https://example.org/1</id>
            <title>one</title>
            <updated>2014-11-17T10:00:00+01:00</updated>
            <link href="https://example.org/1"/>
          </entry>
        </feed>
        """;

    [Fact]
    public void AMinimalValidFeed_HasNoViolations() =>
        Assert.Empty(AtomRules.Violations(XDocument.Parse(ValidFeed)));

    [Theory]
    [InlineData("<updated>2014-11-17T10:00:00Z</updated>\n  <link rel=\"self\"", "<link rel=\"self\"", "feed has 0 atom:updated")]
    [InlineData("2014-11-17T10:00:00+01:00", "17 Nov 2014 10:00", "not an RFC 3339 date-time")]
    [InlineData("2014-11-17T10:00:00+01:00", "2014-11-17 10:00:00Z", "not an RFC 3339 date-time")]
    [InlineData("<link href=\"https://example.org/1\"/>", "<link href=\"/1\"/>", "is not absolute")]
    [InlineData("<link href=\"https://example.org/1\"/>", "", "neither content nor a link")]
    [InlineData("<id>https://example.org/1</id>", "<id>1</id>", "not an absolute IRI")]
    [InlineData("<id>https://example.org/1</id>", "<id>/1</id>", "not an absolute IRI")]
    [InlineData("<author><name>a</name></author>", "", "no author")]
    [InlineData("xmlns=\"http://www.w3.org/2005/Atom\"", "xmlns=\"http://purl.org/atom/ns#\"", "not atom:feed")]
    [InlineData("<title>one</title>", "<title>one</title><title>two</title>", "entry 1 has 2 atom:title")]
    public void ABrokenFeed_IsRejected(string part, string replacement, string expectedProblem)
    {
        Assert.Contains(part, ValidFeed, StringComparison.Ordinal);
        var broken = XDocument.Parse(ValidFeed.Replace(part, replacement, StringComparison.Ordinal));

        Assert.Contains(AtomRules.Violations(broken), p => p.Contains(expectedProblem, StringComparison.Ordinal));
    }

    [Fact]
    public void RepeatedEntryIds_AreRejected()
    {
        var document = XDocument.Parse(ValidFeed);
        var entry = document.Root!.Element(AtomRules.Atom + "entry")!;
        entry.AddAfterSelf(new XElement(entry));

        Assert.Contains(AtomRules.Violations(document), p => p.Contains("repeats the id", StringComparison.Ordinal));
    }
}
