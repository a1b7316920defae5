using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>What a session was given at sign-in is checked again: old sessions cannot enrol, and account changes end them.</summary>
public sealed class OfficerSessionTests
{
    private static readonly TimeSpan PastTheRecheck = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task PasswordOnlySession_OpenedBeforeEnrolment_CannotReadTheKeyOrGainTheSecondFactor()
    {
        using var factory = new AppFactory();
        var oneTime = await Officers.CreateAsync(factory, "early@example.org", Roles.Officer);
        var early = Clients.New(factory);
        await Officers.SubmitPasswordAsync(early, "early@example.org", oneTime);
        await Clients.PostFormAsync(early, "/account/change-password", f =>
        {
            f["Input.CurrentPassword"] = oneTime;
            f["Input.NewPassword"] = Officers.NewPassword;
            f["Input.ConfirmPassword"] = Officers.NewPassword;
            return f;
        });
        var form = Html.FormFields(await Html.ParseAsync(await early.GetAsync("/account/setup-authenticator")));

        var key = await EnrolInAnotherSessionAsync(factory, "early@example.org");

        var page = await early.GetAsync("/account/setup-authenticator");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Null((await Html.ParseAsync(page)).QuerySelector("#authenticator-key"));
        Assert.DoesNotContain(key.Replace(" ", "", StringComparison.Ordinal), html.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        form["Code"] = Officers.Totp(key);
        var post = await early.PostAsync("/account/setup-authenticator", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Empty((await Html.ParseAsync(post)).QuerySelectorAll("#recovery-codes li"));
        Assert.Equal(HttpStatusCode.Redirect, (await early.GetAsync("/triage")).StatusCode);
        var changePassword = await early.GetAsync("/account/change-password");
        Assert.Equal("/account/setup-authenticator", changePassword.Headers.Location?.PathAndQuery());
    }

    [Fact]
    public async Task PasswordOnlySession_AfterTheEnrolmentWindow_IsShownNoKey()
    {
        var clock = new TestClock();
        using var factory = new AppFactory { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var client = await PasswordOnlySessionAsync(factory, "slow@example.org");

        clock.Advance(TimeSpan.FromMinutes(16));
        var page = await client.GetAsync("/account/setup-authenticator");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var html = await Html.ParseAsync(page);
        Assert.Null(html.QuerySelector("#authenticator-key"));
        Assert.NotNull(html.QuerySelector("#setup-refused"));
    }

    [Fact]
    public async Task SetupPage_MakesANewKeyOnEveryVisit_SoAKeySeenBeforeIsWorthless()
    {
        using var factory = new AppFactory();
        var client = await PasswordOnlySessionAsync(factory, "twice@example.org");

        var first = await Html.ParseAsync(await client.GetAsync("/account/setup-authenticator"));
        var second = await Html.ParseAsync(await client.GetAsync("/account/setup-authenticator"));
        var firstKey = first.QuerySelector("#authenticator-key")!.TextContent;
        var secondKey = second.QuerySelector("#authenticator-key")!.TextContent;
        Assert.NotEqual(firstKey, secondKey);

        var fields = Html.FormFields(second);
        fields["Code"] = Officers.Totp(firstKey);
        var withOldKey = await Html.ParseAsync(await client.PostAsync("/account/setup-authenticator", new FormUrlEncodedContent(fields)));
        Assert.Empty(withOldKey.QuerySelectorAll("#recovery-codes li"));
        Assert.Null(withOldKey.QuerySelector("#authenticator-key"));

        fields = Html.FormFields(withOldKey);
        fields["Code"] = Officers.Totp(secondKey);
        var withNewKey = await Html.ParseAsync(await client.PostAsync("/account/setup-authenticator", new FormUrlEncodedContent(fields)));
        Assert.Equal(10, withNewKey.QuerySelectorAll("#recovery-codes li").Length);
    }

    [Fact]
    public async Task PasswordChange_EndsEveryOtherSession_WithinTheRecheckInterval()
    {
        var clock = new TestClock();
        using var factory = new AppFactory { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var enrolment = await Officers.EnrolAsync(factory, "moved@example.org", Roles.Officer);
        var other = await Officers.SignInAsync(factory, "moved@example.org", enrolment.Key);
        var newPassword = Officers.NewPassword + "x";

        var change = await Clients.PostFormAsync(other, "/account/change-password", f =>
        {
            f["Input.CurrentPassword"] = Officers.NewPassword;
            f["Input.NewPassword"] = newPassword;
            f["Input.ConfirmPassword"] = newPassword;
            return f;
        });
        Assert.Equal("/triage", change.Headers.Location?.OriginalString);

        clock.Advance(PastTheRecheck);
        var old = await enrolment.Client.GetAsync("/triage");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.StartsWith("/account/login", old.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/triage")).StatusCode);
    }

    [Fact]
    public async Task SecondFactor_SurvivesTheSessionRecheck()
    {
        var clock = new TestClock();
        using var factory = new AppFactory { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var client = await Officers.SignInFirstTimeAsync(factory, "stays@example.org", Roles.Officer);

        for (var recheck = 0; recheck < 3; recheck++)
        {
            clock.Advance(PastTheRecheck);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/triage")).StatusCode);
        }
    }

    [Fact]
    public async Task LockedAccount_LosesEverySession_WithinTheRecheckInterval()
    {
        var clock = new TestClock();
        using var factory = new AppFactory { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var client = await Officers.SignInFirstTimeAsync(factory, "barred@example.org", Roles.Officer);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<OfficerUser>>();
            var user = await users.FindByEmailAsync("barred@example.org");
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.MaxValue);
        }

        clock.Advance(PastTheRecheck);
        var response = await client.GetAsync("/triage");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    /// <summary>Signs in with the one-time password and changes it: a session with the password only, at the set-up step.</summary>
    private static async Task<HttpClient> PasswordOnlySessionAsync(AppFactory factory, string email)
    {
        var oneTime = await Officers.CreateAsync(factory, email, Roles.Officer);
        var client = Clients.New(factory);
        await Officers.SubmitPasswordAsync(client, email, oneTime);
        var change = await Clients.PostFormAsync(client, "/account/change-password", f =>
        {
            f["Input.CurrentPassword"] = oneTime;
            f["Input.NewPassword"] = Officers.NewPassword;
            f["Input.ConfirmPassword"] = Officers.NewPassword;
            return f;
        });
        Assert.Equal("/account/setup-authenticator", change.Headers.Location?.OriginalString);
        return client;
    }

    /// <summary>The officer signs in elsewhere with the password and sets up the authenticator there.</summary>
    private static async Task<string> EnrolInAnotherSessionAsync(AppFactory factory, string email)
    {
        var client = Clients.New(factory);
        var login = await Officers.SubmitPasswordAsync(client, email, Officers.NewPassword);
        Assert.Equal("/account/setup-authenticator", login.Headers.Location?.OriginalString);
        var setup = await Html.ParseAsync(await client.GetAsync("/account/setup-authenticator"));
        var key = setup.QuerySelector("#authenticator-key")!.TextContent;
        var fields = Html.FormFields(setup);
        fields["Code"] = Officers.Totp(key);
        var done = await Html.ParseAsync(await client.PostAsync("/account/setup-authenticator", new FormUrlEncodedContent(fields)));
        Assert.Equal(10, done.QuerySelectorAll("#recovery-codes li").Length);
        return key;
    }
}
