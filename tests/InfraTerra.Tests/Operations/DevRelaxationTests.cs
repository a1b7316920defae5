using System.Net;
using System.Security.Cryptography;
using InfraTerra.Tests.Support;

namespace InfraTerra.Tests.Operations;

/// <summary>Development shortcuts are asked for by name, never granted by an environment name, and Production refuses them.</summary>
public sealed class DevRelaxationTests
{
    [Fact]
    public async Task Production_WithEverySecretAndNoShortcut_Starts()
    {
        using var factory = new AppFactory(ProductionSettings(), environment: "Production");

        var response = await factory.CreateClient(new() { BaseAddress = new Uri("https://portal.example") }).GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Dev:GenerateTipKeys")]
    [InlineData("Dev:UnencryptedKeyRing")]
    [InlineData("Dev:AllowNoCaptcha")]
    [InlineData("Dev:InsecureCookies")]
    public void Production_WithADevelopmentShortcut_RefusesToStartNamingIt(string key)
    {
        var settings = ProductionSettings();
        settings[key] = "true";
        using var factory = new AppFactory(settings, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains($"{key} is set, but the environment is Production", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Testing_WithoutDevGenerateTipKeys_RefusesToStartWithoutTipKeys()
    {
        using var factory = new AppFactory(new() { ["Dev:GenerateTipKeys"] = "false" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Tips:MasterKey", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(factory.DataFolder, "dev-tip-keys.json")));
    }

    [Fact]
    public void Production_WithoutTheAuditKey_RefusesToStartNamingIt()
    {
        var settings = ProductionSettings();
        settings.Remove("Audit:Key");
        using var factory = new AppFactory(settings, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Audit:Key", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(factory.DataFolder, "dev-audit-key")));
    }

    [Fact]
    public void Testing_WithoutDevUnencryptedKeyRing_RefusesToStartWithoutACertificate()
    {
        using var factory = new AppFactory(new() { ["Dev:UnencryptedKeyRing"] = "false" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("DataProtection:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Testing_WithoutDevAllowNoCaptcha_RefusesProviderNone()
    {
        using var factory = new AppFactory(new() { ["Captcha:Provider"] = "None" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Captcha:Provider None", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Testing_WithDevAllowNoCaptcha_AcceptsProviderNone()
    {
        using var factory = new AppFactory(new() { ["Captcha:Provider"] = "None", ["Dev:AllowNoCaptcha"] = "true" });

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Testing_WithoutDevInsecureCookies_NeverSendsACookieThatPlainHttpWouldCarry()
    {
        using var factory = new AppFactory(new() { ["Dev:InsecureCookies"] = "false" });
        var plain = factory.CreateClient(new() { BaseAddress = new Uri("http://portal.example") });
        var tls = factory.CreateClient(new() { BaseAddress = new Uri("https://portal.example") });

        var overPlainHttp = await plain.GetAsync("/account/login");
        var overHttps = await CookiesOfTheSignInPageAsync(tls);

        Assert.All(overPlainHttp.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(overHttps, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Testing_WithDevInsecureCookies_SendsCookiesOverPlainHttp()
    {
        using var factory = new AppFactory(new() { ["Dev:InsecureCookies"] = "true" });
        var client = factory.CreateClient(new() { BaseAddress = new Uri("http://localhost") });

        var cookies = await CookiesOfTheSignInPageAsync(client);

        Assert.All(cookies, c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<List<string>> CookiesOfTheSignInPageAsync(HttpClient client)
    {
        var response = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        return cookies;
    }

    private static Dictionary<string, string?> ProductionSettings() => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["Tips:MasterKeyId"] = "test",
        ["Tips:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Tips:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Audit:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["DataProtection:CertificatePath"] = TestCertificate.Create(),
    };
}
