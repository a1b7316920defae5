using System.Net;
using System.Text.RegularExpressions;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Tests.Operations;

/// <summary><c>reset-user</c> rescues an officer who cannot sign in, the last administrator included; <c>create-user</c> sets desks and is audited.</summary>
public sealed partial class ResetUserTests
{
    [Fact]
    public async Task ResetUser_RescuesALockedOutLastAdministrator()
    {
        using var factory = new AppFactory(new() { ["RateLimits:SignInFailuresPerClient"] = "1000" });
        var enrolment = await Officers.EnrolAsync(factory, "last.admin@example.org", Roles.Administrator);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await Officers.SubmitPasswordAsync(Clients.New(factory), "last.admin@example.org", "not-the-password");
        }

        var refused = await Officers.SubmitPasswordAsync(Clients.New(factory), "last.admin@example.org", Officers.NewPassword);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);

        var (exit, output) = await RunAsync(factory, "reset-user", "--email", "last.admin@example.org");

        Assert.Equal(0, exit);
        var oneTime = OneTimePasswordLine().Match(output).Groups[1].Value;
        Assert.Equal(HttpStatusCode.Redirect, (await enrolment.Client.GetAsync("/admin")).StatusCode);
        var client = Clients.New(factory);
        Assert.Equal(HttpStatusCode.OK, (await Officers.SubmitPasswordAsync(client, "last.admin@example.org", Officers.NewPassword)).StatusCode);
        var login = await Officers.SubmitPasswordAsync(client, "last.admin@example.org", oneTime);
        Assert.Equal("/account/change-password", login.Headers.Location?.OriginalString);
        var newPassword = Officers.NewPassword + "2";
        var change = await Clients.PostFormAsync(client, "/account/change-password", f =>
        {
            f["Input.CurrentPassword"] = oneTime;
            f["Input.NewPassword"] = newPassword;
            f["Input.ConfirmPassword"] = newPassword;
            return f;
        });
        Assert.Equal("/account/setup-authenticator", change.Headers.Location?.OriginalString);
        var setup = await Html.ParseAsync(await client.GetAsync("/account/setup-authenticator"));
        var fields = Html.FormFields(setup);
        fields["Code"] = Officers.Totp(setup.QuerySelector("#authenticator-key")!.TextContent);
        var done = await Html.ParseAsync(await client.PostAsync("/account/setup-authenticator", new FormUrlEncodedContent(fields)));
        Assert.Equal("/admin", done.QuerySelector("main a.button")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);

        var record = await factory.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.Action == AuditActions.AccountReset));
        Assert.Equal(AuditActor.CommandLine.Name, record.ActorName);
        Assert.Null(record.ActorId);
        Assert.Equal("last.admin@example.org", record.Subject);
        Assert.DoesNotContain(oneTime, record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetUser_EnablesADisabledAccount_AndForAnUnknownAddressSaysSo()
    {
        using var factory = new AppFactory();
        await Officers.CreateAsync(factory, "off@example.org", Roles.Officer);
        await factory.ScopedAsync(db => db.Users.ExecuteUpdateAsync(u => u.SetProperty(x => x.DisabledAtUtc, DateTime.UtcNow)));

        var (exit, output) = await RunAsync(factory, "reset-user", "--email", "off@example.org");
        Assert.Equal(0, exit);
        var login = await Officers.SubmitPasswordAsync(Clients.New(factory), "off@example.org", OneTimePasswordLine().Match(output).Groups[1].Value);
        Assert.Equal("/account/change-password", login.Headers.Location?.OriginalString);

        var (unknownExit, unknownOutput) = await RunAsync(factory, "reset-user", "--email", "nobody@example.org");
        Assert.Equal(2, unknownExit);
        Assert.Contains("no account for nobody@example.org", unknownOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_WithDesks_SetsThemAndIsAudited()
    {
        using var factory = new AppFactory();

        var (exit, output) = await RunAsync(factory, "create-user", "--email", "desk@example.org", "--role", "officer", "--desk", "ke", "--desk", "TZ,general");

        Assert.Equal(0, exit);
        Assert.Contains("Created Officer desk@example.org on desk(s) GENERAL, KE, TZ.", output, StringComparison.Ordinal);
        var desks = await factory.ScopedAsync(db => db.OfficerDesks.Select(d => d.Desk).OrderBy(d => d).ToListAsync());
        Assert.Equal(["GENERAL", "KE", "TZ"], desks);
        var record = await factory.ScopedAsync(db => db.AuditRecords.SingleAsync(r => r.Action == AuditActions.AccountCreated));
        Assert.Equal(AuditActor.CommandLine.Name, record.ActorName);
        Assert.Equal("desk@example.org", record.Subject);
        Assert.Equal("roles: Officer; desks: GENERAL, KE, TZ", record.Detail);
    }

    [Fact]
    public async Task CreateUser_WithAnUnknownDesk_ExplainsAndCreatesNothing()
    {
        using var factory = new AppFactory();

        var (exit, output) = await RunAsync(factory, "create-user", "--email", "desk@example.org", "--role", "Officer", "--desk", "Atlantis");

        Assert.Equal(2, exit);
        Assert.Contains("--desk must be an ISO country code", output, StringComparison.Ordinal);
        Assert.Equal(0, await factory.ScopedAsync(db => db.Users.CountAsync()));
    }

    private static async Task<(int Exit, string Output)> RunAsync(AppFactory factory, params string[] args)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, args, output);
        return (exit, output.ToString());
    }

    [GeneratedRegex("One-time password: (\\S+)")]
    private static partial Regex OneTimePasswordLine();
}
