using System.Text;
using InfraTerra.Tests.Infrastructure;

namespace InfraTerra.Tests.Tips;

public sealed class PrivacyTests
{
    [Fact]
    public async Task Submitting_ATip_LeavesNoUserAgentOrTipTextInLogsOrDatabaseFile()
    {
        using var factory = new AppFactory();
        var client = Officers.NewClient(factory);
        var userAgent = "PrivacyProbeAgent/" + Guid.NewGuid().ToString("N");
        var secretText = "PrivacyProbeText" + Guid.NewGuid().ToString("N");
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);

        var (response, _) = await TipForms.SubmitAsync(client, "/tips/new?notice=2014-90003", f =>
        {
            f["Input.Description"] = secretText + " near the market.";
            f["Input.Place"] = secretText + "-place";
        });
        await TipForms.ReceiptAsync(client, response);

        Assert.NotEmpty(factory.Logs.Events);
        Assert.Contains("/tips/new", factory.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(userAgent, factory.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(secretText, factory.Logs.AllText, StringComparison.Ordinal);
        var files = Directory.GetFiles(factory.DataFolder);
        Assert.Contains(files, f => f.EndsWith("infraterra.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(secretText, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(userAgent, bytes, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/notices")]
    [InlineData("/tips/new")]
    public async Task PublicPages_SendStrictSecurityHeaders(string path)
    {
        using var factory = new AppFactory();
        var response = await factory.CreateClient().GetAsync(path);

        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("geolocation=()", response.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/notices")]
    [InlineData("/notices/2014-90001")]
    public async Task BrowsingPages_SetNoCookies(string path)
    {
        using var factory = new AppFactory();
        var response = await factory.CreateClient().GetAsync(path);
        Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} set a cookie");
    }
}
