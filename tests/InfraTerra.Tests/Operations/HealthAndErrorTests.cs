using System.Net;
using System.Security.Cryptography;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Operations;

public sealed class HealthAndErrorTests
{
    [Fact]
    public async Task Health_LiveAndReady_AreHealthyOnAWorkingDatabase()
    {
        using var factory = new AppFactory();
        var client = factory.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task Health_Ready_IsUnhealthyWhenTheDatabaseIsUnreachable_WhileLiveStaysHealthy()
    {
        using var factory = new AppFactory(UnreachablePostgres());
        var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
    }

    [Fact]
    public async Task Production_ServerError_ShowsTheFriendlyPageWithoutAnyStackTrace()
    {
        var settings = ProductionSettings();
        using var factory = new AppFactory(settings, environment: "Production");

        var client = factory.CreateClient(new() { BaseAddress = new Uri("https://portal.example") });
        var response = await client.GetAsync("/notices");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at InfraTerra", body, StringComparison.Ordinal);
        Assert.Contains("max-age=31536000", string.Join(" ", response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Production_BehindATlsProxy_SendsHstsOnlyWhenTheProxyIsTrusted(bool trusted, bool expectHsts)
    {
        var settings = ProductionSettings();
        settings["Database:Provider"] = "Sqlite";
        settings["Proxy:ForwardedProto"] = trusted ? "true" : "false";
        using var factory = new AppFactory(settings, environment: "Production");
        var client = factory.CreateClient(new() { BaseAddress = new Uri("http://portal.example") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.SendAsync(request);

        Assert.Equal(expectHsts, response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public void Production_WithoutTipKeys_RefusesToStart()
    {
        var settings = UnreachablePostgres();
        settings["DataProtection:CertificatePath"] = TestCertificate.Create();
        using var factory = new AppFactory(settings, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient().GetAsync("/health/live").GetAwaiter().GetResult());
        Assert.Contains("Tips:MasterKey", error.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ProductionSettings()
    {
        var settings = UnreachablePostgres();
        settings["Tips:MasterKeyId"] = "test";
        settings["Tips:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["Tips:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["Audit:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["DataProtection:CertificatePath"] = TestCertificate.Create();
        return settings;
    }

    private static Dictionary<string, string?> UnreachablePostgres() => new()
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2",
    };
}
