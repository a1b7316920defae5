using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Tests.Triage;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Admin;

/// <summary>What an administrator does in /admin, and that it takes effect and is audited.</summary>
public sealed class AdminAccountsTests
{
    private const string AdminEmail = "admin@example.org";

    [Fact]
    public async Task CreateAccount_ShowsAOneTimePasswordOnce_AndTheNewOfficerSignsInWithIt()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);

        var created = await Clients.PostFormAsync(admin, "/admin/accounts/new", f =>
        {
            f["Input.Email"] = "new.officer@example.org";
            f["Input.Officer"] = "true";
            f["Input.Desks"] = "ke, General";
            return f;
        });

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var oneTime = (await Html.ParseAsync(created)).QuerySelector("#one-time-password")!.TextContent.Trim();
        var login = await Officers.SubmitPasswordAsync(Clients.New(factory), "new.officer@example.org", oneTime);
        Assert.Equal("/account/change-password", login.Headers.Location?.OriginalString);

        var id = await UserIdAsync(factory, "new.officer@example.org");
        Assert.Equal(["GENERAL", "KE"], await factory.ScopedAsync(db => db.OfficerDesks.Where(d => d.UserId == id).Select(d => d.Desk).OrderBy(d => d).ToListAsync()));
        var record = await LastAuditAsync(factory, AuditActions.AccountCreated);
        Assert.Equal(AdminEmail, record.ActorName);
        Assert.Equal("new.officer@example.org", record.Subject);
        Assert.Equal("roles: Officer; desks: GENERAL, KE", record.Detail);
        Assert.DoesNotContain(oneTime, await factory.ScopedAsync(db => db.AuditRecords.Select(r => r.Detail ?? "").ToListAsync()));

        var list = await Html.ParseAsync(await admin.GetAsync("/admin"));
        var row = list.QuerySelector("tr[data-account='new.officer@example.org']")!;
        Assert.Contains("Officer", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("GENERAL, KE", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("not set up", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAccount_WithBadInput_ShowsEveryErrorKeepsTheInputAndCreatesNothing()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);

        var response = await Clients.PostFormAsync(admin, "/admin/accounts/new", f =>
        {
            f["Input.Email"] = "not-an-address";
            f["Input.Desks"] = "KE, Narnia";
            return f;
        });

        var page = await Html.ParseAsync(response);
        var errors = page.QuerySelector(".validation-summary")!.TextContent;
        Assert.Contains("Enter an e-mail address like", errors, StringComparison.Ordinal);
        Assert.Contains("Choose at least one role.", errors, StringComparison.Ordinal);
        Assert.Contains("not: Narnia", errors, StringComparison.Ordinal);
        Assert.Equal("not-an-address", page.QuerySelector("#Input_Email")!.GetAttribute("value"));
        Assert.Equal("KE, Narnia", page.QuerySelector("#Input_Desks")!.GetAttribute("value"));
        Assert.Null(page.QuerySelector("#one-time-password"));
        Assert.Equal(1, await factory.ScopedAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task CreateAccount_ForAnAddressThatHasOne_SaysSo()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);

        var response = await CreateAsync(admin, AdminEmail);

        Assert.Contains("already exists", (await Html.ParseAsync(response)).QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_SignsTheOfficerOutAtTheNextRequest_AndTheAccountCannotSignIn_UntilEnabled()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        var officer = await Officers.EnrolAsync(factory, "leaving@example.org", Roles.Officer);
        Assert.Equal(HttpStatusCode.OK, (await officer.Client.GetAsync("/triage")).StatusCode);
        var id = await UserIdAsync(factory, "leaving@example.org");

        var disabled = await PostAsync(admin, id, "#disable-form");
        Assert.EndsWith("done=disabled", disabled.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var next = await officer.Client.GetAsync("/triage");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/account/login", next.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await officer.Client.GetAsync("/triage")).StatusCode);
        var again = await Officers.SubmitPasswordAsync(Clients.New(factory), "leaving@example.org", Officers.NewPassword);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotNull((await Html.ParseAsync(again)).QuerySelector(".validation-summary li"));
        Assert.Equal("account disabled", (await LastAuditAsync(factory, AuditActions.SignInFailed)).Detail);
        Assert.Equal("leaving@example.org", (await LastAuditAsync(factory, AuditActions.AccountDisabled)).Subject);

        await PostAsync(admin, id, "#enable-form");
        await Officers.SignInAsync(factory, "leaving@example.org", officer.Key);
        Assert.Equal(AdminEmail, (await LastAuditAsync(factory, AuditActions.AccountEnabled)).ActorName);
    }

    [Fact]
    public async Task RolesChange_AppliesAtTheOfficersNextRequest()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        var officer = await Officers.SignInFirstTimeAsync(factory, "promoted@example.org", Roles.Officer);
        var id = await UserIdAsync(factory, "promoted@example.org");
        Assert.Equal((HttpStatusCode.Forbidden, "/admin"), await FinalAsync(officer, "/admin"));

        await PostAsync(admin, id, "#roles-form", f =>
        {
            f.Remove("Input.Officer");
            f["Input.Administrator"] = "true";
            return f;
        });

        Assert.Equal((HttpStatusCode.OK, "/admin"), await FinalAsync(officer, "/admin"));
        Assert.Equal((HttpStatusCode.Forbidden, "/triage"), await FinalAsync(officer, "/triage"));
        var record = await LastAuditAsync(factory, AuditActions.RolesChanged);
        Assert.Equal("Officer → Administrator", record.Detail);
        Assert.Equal("promoted@example.org", record.Subject);
    }

    [Fact]
    public async Task Desks_AreSetAndAudited_AndUnknownCodesAreRefusedWithTheInputKept()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        await Officers.CreateAsync(factory, "desk@example.org", Roles.Officer);
        var id = await UserIdAsync(factory, "desk@example.org");

        var refused = await PostAsync(admin, id, "#desks-form", f =>
        {
            f["Desks"] = "KE XX";
            return f;
        });
        var page = await Html.ParseAsync(refused);
        Assert.Contains("not: XX", page.QuerySelector("#desks-form")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("KE XX", page.QuerySelector("#Desks")!.GetAttribute("value"));

        await PostAsync(admin, id, "#desks-form", f =>
        {
            f["Desks"] = "tz,ke";
            return f;
        });

        Assert.Equal(["KE", "TZ"], await factory.ScopedAsync(db => db.OfficerDesks.Where(d => d.UserId == id).Select(d => d.Desk).OrderBy(d => d).ToListAsync()));
        Assert.Equal("none → KE, TZ", (await LastAuditAsync(factory, AuditActions.DesksChanged)).Detail);
        Assert.Equal("KE, TZ", (await Html.ParseAsync(await admin.GetAsync($"/admin/accounts/{id}"))).QuerySelector("#account-desks")!.TextContent);
    }

    [Fact]
    public async Task ResetSecondFactor_EndsTheSession_AndTheOfficerMustEnrolAgain()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        var officer = await Officers.EnrolAsync(factory, "lostphone@example.org", Roles.Officer);
        var id = await UserIdAsync(factory, "lostphone@example.org");

        var reset = await PostAsync(admin, id, "#reset-second-factor-form");
        Assert.True(reset.StatusCode == HttpStatusCode.Redirect, await reset.Content.ReadAsStringAsync());

        var next = await officer.Client.GetAsync("/triage");
        Assert.StartsWith("/account/login", next.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        var client = Clients.New(factory);
        var login = await Officers.SubmitPasswordAsync(client, "lostphone@example.org", Officers.NewPassword);
        Assert.Equal("/account/setup-authenticator", login.Headers.Location?.OriginalString);
        var setup = await Html.ParseAsync(await client.GetAsync("/account/setup-authenticator"));
        var newKey = setup.QuerySelector("#authenticator-key")!.TextContent;
        Assert.NotEqual(officer.Key, newKey);
        Assert.Equal("lostphone@example.org", (await LastAuditAsync(factory, AuditActions.SecondFactorReset)).Subject);
        Assert.False(await factory.ScopedAsync(db => db.UserTokens.AnyAsync(t => t.UserId == id && t.Name == "RecoveryCodes")));
    }

    [Fact]
    public async Task TheLastEnabledAdministrator_CannotBeDisabledOrLoseTheRole()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        var id = await UserIdAsync(factory, AdminEmail);

        var own = await Html.ParseAsync(await admin.GetAsync($"/admin/accounts/{id}"));
        Assert.Null(own.QuerySelector("#disable-form"));
        var fields = Html.FormFields(own, "#roles-form");
        var selfDisable = await admin.PostAsync($"/admin/accounts/{id}?handler=Disable", new FormUrlEncodedContent(fields));
        Assert.Contains("You cannot disable your own account.", await selfDisable.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var demote = await PostAsync(admin, id, "#roles-form", f =>
        {
            f.Remove("Input.Administrator");
            f["Input.Officer"] = "true";
            return f;
        });
        var page = await Html.ParseAsync(demote);
        Assert.Contains("last enabled administrator", page.QuerySelector("#errors")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#roles-form input[name='Input.Administrator'][checked]"));
        Assert.Equal("Administrator", page.QuerySelector("#account-roles")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);

        // With a second administrator, the first may step down.
        await Officers.CreateAsync(factory, "deputy@example.org", Roles.Administrator);
        var stepDown = await PostAsync(admin, id, "#roles-form", f =>
        {
            f.Remove("Input.Administrator");
            f["Input.Officer"] = "true";
            return f;
        });
        Assert.True(stepDown.StatusCode == HttpStatusCode.Redirect, await stepDown.Content.ReadAsStringAsync());
        Assert.Equal("Administrator → Officer", (await LastAuditAsync(factory, AuditActions.RolesChanged)).Detail);
    }

    [Fact]
    public async Task ADisabledAdministrator_DoesNotCountAsAnotherAdministrator()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        var id = await UserIdAsync(factory, AdminEmail);
        await Officers.CreateAsync(factory, "other@example.org", Roles.Administrator);
        var disabled = await PostAsync(admin, await UserIdAsync(factory, "other@example.org"), "#disable-form");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);

        var demote = await PostAsync(admin, id, "#roles-form", f =>
        {
            f.Remove("Input.Administrator");
            f["Input.Supervisor"] = "true";
            return f;
        });

        Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
        Assert.Contains("last enabled administrator", (await Html.ParseAsync(demote)).QuerySelector("#errors")!.TextContent, StringComparison.Ordinal);
        Assert.False(await factory.ScopedAsync(db => db.AuditRecords.AnyAsync(r => r.Action == AuditActions.RolesChanged)));
    }

    [Fact]
    public async Task AnAdministratorWhoHoldsNoOtherRole_ReadsNoTip_AndAnOfficerOpensNoAdminPage()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        var officer = await Officers.SignInFirstTimeAsync(factory, "officer@example.org", Roles.Officer);

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/triage")).StatusCode);

        foreach (var path in new[] { "/admin", "/admin/accounts/new", $"/admin/accounts/{await UserIdAsync(factory, AdminEmail)}" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync(path)).StatusCode);
            Assert.StartsWith("/account/login", (await Clients.New(factory).GetAsync(path)).Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdminPages_AreNotStored_AndTheirFormsNeedTheAntiforgeryToken()
    {
        using var factory = new AppFactory();
        var admin = await Officers.SignInFirstTimeAsync(factory, AdminEmail, Roles.Administrator);
        var id = await UserIdAsync(factory, AdminEmail);

        foreach (var path in new[] { "/admin", "/admin/accounts/new", $"/admin/accounts/{id}" })
        {
            var page = await admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("no-store", page.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }

        var forged = await admin.PostAsync($"/admin/accounts/{id}?handler=ResetSecondFactor", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True(await factory.ScopedAsync(db => db.Users.AnyAsync(u => u.Id == id && u.TwoFactorEnabled)));
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient admin, string email) =>
        Clients.PostFormAsync(admin, "/admin/accounts/new", f =>
        {
            f["Input.Email"] = email;
            f["Input.Officer"] = "true";
            return f;
        });

    /// <summary>Opens the account's page and posts the named form, as a browser would.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient admin, string id, string form, Func<Dictionary<string, string>, Dictionary<string, string>>? fill = null)
    {
        var page = await Html.ParseAsync(await admin.GetAsync($"/admin/accounts/{id}"));
        var element = page.QuerySelector(form) ?? throw new InvalidOperationException($"No form {form} on the account page.");
        var fields = Html.FormFields(page, form);
        fields = fill?.Invoke(fields) ?? fields;
        return await admin.PostAsync(element.GetAttribute("action"), new FormUrlEncodedContent(fields));
    }

    /// <summary>Follows redirects inside the app; returns where the browser ends up.</summary>
    private static async Task<(HttpStatusCode Status, string Path)> FinalAsync(HttpClient client, string path)
    {
        for (var hop = 0; hop < 5; hop++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                return (response.StatusCode, path.Split('?')[0]);
            }

            path = response.Headers.Location!.PathAndQuery();
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    internal static Task<string> UserIdAsync(AppFactory factory, string email) =>
        factory.ScopedAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    internal static Task<AuditRecord> LastAuditAsync(AppFactory factory, string action) =>
        factory.ScopedAsync(db => db.AuditRecords.Where(r => r.Action == action).OrderByDescending(r => r.Sequence).FirstAsync());
}
