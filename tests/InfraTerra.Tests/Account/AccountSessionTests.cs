using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Tests.Triage;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Account;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Account;

/// <summary>Idle time-out, the enrolment QR code, and the audit of an officer's own account events.</summary>
public sealed class AccountSessionTests
{
    [Fact]
    public async Task Session_EndsAfterTheIdleTimeout_ButSlidesWhileTheOfficerWorks()
    {
        var clock = new TestClock();
        using var factory = new AppFactory { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var client = await Officers.SignInFirstTimeAsync(factory, "idle@example.org", Roles.Officer);

        for (var step = 0; step < 3; step++)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/triage")).StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(31));
        var idle = await client.GetAsync("/triage");
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.StartsWith("/account/login", idle.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleTimeout_IsConfigurable()
    {
        var clock = new TestClock();
        using var factory = new AppFactory(new() { ["Officers:IdleTimeoutMinutes"] = "10" }) { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var client = await Officers.SignInFirstTimeAsync(factory, "short@example.org", Roles.Officer);

        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.StartsWith("/account/login", (await client.GetAsync("/triage")).Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_EndsAtItsMaximumLifetime_EvenWhenActive()
    {
        var clock = new TestClock();
        using var factory = new AppFactory(new() { ["Officers:MaxSessionHours"] = "1" }) { ExtraServices = s => s.AddSingleton<TimeProvider>(clock) };
        var client = await Officers.EnrolAsync(factory, "long@example.org", Roles.Officer);

        for (var step = 0; step < 2; step++)
        {
            clock.Advance(TimeSpan.FromMinutes(25));
            Assert.Equal(HttpStatusCode.OK, (await client.Client.GetAsync("/triage")).StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(25));
        Assert.StartsWith("/account/login", (await client.Client.GetAsync("/triage")).Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        var fresh = await Officers.SignInAsync(factory, "long@example.org", client.Key);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/triage")).StatusCode);
    }

    [Fact]
    public async Task SetupPage_ShowsTheKeyAsAnAccessibleQrCodeDrawnOnTheServer()
    {
        using var factory = new AppFactory();
        var oneTime = await Officers.CreateAsync(factory, "qr@example.org", Roles.Officer);
        var client = Clients.New(factory);
        await Officers.SubmitPasswordAsync(client, "qr@example.org", oneTime);
        await Clients.PostFormAsync(client, "/account/change-password", f =>
        {
            f["Input.CurrentPassword"] = oneTime;
            f["Input.NewPassword"] = Officers.NewPassword;
            f["Input.ConfirmPassword"] = Officers.NewPassword;
            return f;
        });

        var response = await client.GetAsync("/account/setup-authenticator");
        var page = await Html.ParseAsync(response);

        var svg = page.QuerySelector("figure.qr svg#authenticator-qr")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.False(string.IsNullOrWhiteSpace(svg.GetAttribute("aria-label")));
        Assert.True(svg.QuerySelectorAll("rect, path").Length > 1);
        Assert.Null(svg.QuerySelector("script, image, foreignObject"));
        Assert.Null(svg.GetAttribute("style"));
        Assert.DoesNotContain("<img", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var key = page.QuerySelector("#authenticator-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Equal($"otpauth://totp/InfraTerra:qr%40example.org?secret={key}&issuer=InfraTerra&digits=6", page.QuerySelector("#authenticator-uri")!.TextContent);
    }

    [Fact]
    public void OtpauthUri_EscapesTheAddress()
    {
        var uri = AuthenticatorQr.Uri("o'brien+fis&x=1@example.org", "ABCDEF234567");

        Assert.Equal("otpauth://totp/InfraTerra:o%27brien%2Bfis%26x%3D1%40example.org?secret=ABCDEF234567&issuer=InfraTerra&digits=6", uri);
    }

    [Fact]
    public void QrSvg_EncodesNothingButTheAddressGiven_AndEscapesItsLabel()
    {
        var svg = AuthenticatorQr.Svg("otpauth://totp/InfraTerra:a%40b.org?secret=ABC", "a \"label\" <b>");

        Assert.StartsWith("<svg role=\"img\" aria-label=\"a &quot;label&quot; &lt;b&gt;\"", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        Assert.EndsWith("</svg>", svg.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountEvents_AreAudited_WithoutAnAddressThatMatchesNoAccount()
    {
        using var factory = new AppFactory();
        var enrolment = await Officers.EnrolAsync(factory, "audited@example.org", Roles.Officer);

        await Officers.SubmitPasswordAsync(Clients.New(factory), "audited@example.org", "not-the-password");
        await Officers.SubmitPasswordAsync(Clients.New(factory), "typo-or-password@example.org", "whatever-password");
        var again = await Officers.SignInAsync(factory, "audited@example.org", enrolment.Key);
        var page = await Html.ParseAsync(await again.GetAsync("/triage"));
        var logout = await again.PostAsync("/account/logout", new FormUrlEncodedContent(Html.FormFields(page, "form[action='/account/logout']")));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        var records = await factory.ScopedAsync(db => db.AuditRecords.Where(r => r.Action != AuditActions.AccountCreated).OrderBy(r => r.Sequence).ToListAsync());
        Assert.Equal(
            [
                AuditActions.SignedIn, AuditActions.PasswordChanged, AuditActions.SecondFactorEnrolled, AuditActions.RecoveryCodesGenerated,
                AuditActions.SignInFailed, AuditActions.SignInFailed, AuditActions.SignedIn, AuditActions.SignedOut,
            ],
            records.Select(r => r.Action));
        Assert.Equal("wrong password", records[4].Detail);
        Assert.Equal("audited@example.org", records[4].ActorName);
        Assert.Null(records[5].ActorId);
        Assert.Equal("password and authenticator code", records[6].Detail);
        Assert.All(records.Where(r => r != records[5]), r => Assert.NotNull(r.ActorId));
        Assert.DoesNotContain(records, r => $"{r.ActorName}{r.Subject}{r.Detail}".Contains("typo-or-password", StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => $"{r.ActorName}{r.Subject}{r.Detail}".Contains(Officers.NewPassword, StringComparison.Ordinal));
    }
}
