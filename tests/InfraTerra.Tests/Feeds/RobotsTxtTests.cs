using System.Net;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Feeds;

public sealed class RobotsTxtTests(SharedApp factory) : IClassFixture<SharedApp>
{
    [Theory]
    [InlineData("/triage")]
    [InlineData("/triage/tips/42")]
    [InlineData("/fr/triage")]
    [InlineData("/account/login")]
    [InlineData("/ar/account/login")]
    [InlineData("/admin/users")]
    [InlineData("/tips/receipt")]
    [InlineData("/es/tips/receipt")]
    [InlineData("/tips/follow-up")]
    public async Task Robots_DisallowsOfficerAndTipsterPages_InEveryLanguage(string path) =>
        Assert.False(IsAllowed(await GetRulesAsync(), path), $"{path} is open to crawlers");

    [Theory]
    [InlineData("/")]
    [InlineData("/fr")]
    [InlineData("/notices")]
    [InlineData("/notices/2014-90001")]
    [InlineData("/ar/notices/2014-90001")]
    [InlineData("/operations/infra-terra")]
    [InlineData("/tips/new")]
    [InlineData("/about/protection")]
    [InlineData("/feeds/notices.atom")]
    [InlineData("/sitemap.xml")]
    [InlineData("/api/v1/notices")]
    public async Task Robots_AllowsPublicPages(string path) =>
        Assert.True(IsAllowed(await GetRulesAsync(), path), $"{path} is closed to crawlers");

    [Fact]
    public async Task Robots_NamesTheAbsoluteSitemapUrl_WhichAnswers()
    {
        var lines = (await factory.CreateClient().GetStringAsync("/robots.txt")).Split('\n');

        var sitemap = Assert.Single(lines, l => l.StartsWith("Sitemap:", StringComparison.OrdinalIgnoreCase))["Sitemap:".Length..].Trim();
        Assert.Equal("http://localhost/sitemap.xml", sitemap);
        var response = await factory.CreateClient().GetAsync(new Uri(sitemap));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<List<(bool Allow, string Path)>> GetRulesAsync()
    {
        var text = await factory.CreateClient().GetStringAsync("/robots.txt");
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("User-agent: *", lines);
        return lines
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim() is "Allow" or "Disallow")
            .Select(p => (p[0].Trim() == "Allow", p[1].Trim()))
            .ToList();
    }

    /// <summary>RFC 9309: the longest matching rule wins, Allow on a tie; no matching rule means allowed.</summary>
    private static bool IsAllowed(List<(bool Allow, string Path)> rules, string path) =>
        rules.Where(r => r.Path.Length > 0 && path.StartsWith(r.Path, StringComparison.Ordinal))
            .OrderByDescending(r => r.Path.Length)
            .ThenByDescending(r => r.Allow)
            .Select(r => (bool?)r.Allow)
            .FirstOrDefault() ?? true;
}
