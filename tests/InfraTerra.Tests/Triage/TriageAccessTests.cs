using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

public sealed class TriageAccessTests
{
    [Fact]
    public async Task Triage_Anonymous_IsSentToSignIn()
    {
        using var factory = new AppFactory();
        var response = await Clients.New(factory).GetAsync("/triage");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triage_AfterPasswordOnly_IsSentToSetUpTheSecondFactor()
    {
        using var factory = new AppFactory();
        var oneTime = await Officers.CreateAsync(factory, "half@example.org", Roles.Officer);
        var client = Clients.New(factory);
        await Officers.SubmitPasswordAsync(client, "half@example.org", oneTime);

        var response = await client.GetAsync("/triage");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/setup-authenticator", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task Triage_AfterFullFirstSignIn_ListsTipMetadataButNeverTheirText()
    {
        using var factory = new AppFactory();
        var tipster = Clients.New(factory);
        var secret = "TriageSecret" + Guid.NewGuid().ToString("N");
        var (posted, _) = await TipForms.SubmitAsync(tipster, "/tips/new?notice=2014-90004", f => f["Input.Description"] = secret + " at the sawmill.");
        await TipForms.ReceiptAsync(tipster, posted);

        var officer = await Officers.SignInFirstTimeAsync(factory, "officer@example.org", Roles.Officer);
        await TriageSetup.AddDeskAsync(factory, "officer@example.org", "BR");
        var response = await officer.GetAsync("/triage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        var row = Assert.Single(page.QuerySelectorAll("table.queue tbody tr"));
        Assert.Contains("2014-90004", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("BR", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("New", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_TenWrongPasswords_LockTheAccount()
    {
        using var factory = new AppFactory(new() { ["RateLimits:SignInFailuresPerClient"] = "1000" });
        await Officers.CreateAsync(factory, "locked@example.org", Roles.Supervisor);
        var client = Clients.New(factory);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var response = await Officers.SubmitPasswordAsync(client, "locked@example.org", "not-the-password");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OfficerUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync("locked@example.org"))!));
    }

    [Fact]
    public async Task SignIn_WithAnUnknownEmail_StillChecksAPassword_SoTimingRevealsNoAccounts()
    {
        var hasher = new CountingHasher();
        using var factory = new AppFactory { ExtraServices = s => s.AddSingleton<IPasswordHasher<OfficerUser>>(hasher) };
        var client = Clients.New(factory);

        var response = await Officers.SubmitPasswordAsync(client, "nobody@example.org", "whatever-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, hasher.Verifications);
    }

    private sealed class CountingHasher : IPasswordHasher<OfficerUser>
    {
        private readonly PasswordHasher<OfficerUser> _inner = new();

        public int Verifications { get; private set; }

        public string HashPassword(OfficerUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(OfficerUser user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task SignIn_Later_RequiresTheAuthenticatorCode()
    {
        using var factory = new AppFactory();
        var key = (await Officers.EnrolAsync(factory, "again@example.org", Roles.Officer)).Key;

        var client = Clients.New(factory);
        var login = await Officers.SubmitPasswordAsync(client, "again@example.org", Officers.NewPassword);
        Assert.StartsWith("/account/login-2fa", login.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/triage")).StatusCode);

        var wrongCode = ((int.Parse(Officers.Totp(key), System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var wrong = await Clients.PostFormAsync(client, "/account/login-2fa", f =>
        {
            f["Code"] = wrongCode;
            return f;
        });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);

        var right = await Clients.PostFormAsync(client, "/account/login-2fa", f =>
        {
            f["Code"] = Officers.Totp(key);
            return f;
        });
        Assert.Equal("/triage", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/triage")).StatusCode);
    }
}

internal static class UriExtensions
{
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
