using System.Net;
using System.Text.RegularExpressions;
using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using OtpNet;

namespace InfraTerra.Tests.Support;

public static partial class Officers
{
    /// <summary>The password test officers choose at first sign-in: made per test run, never written in the repo.</summary>
    public static readonly string NewPassword = OperatorCommands.OneTimePassword();

    /// <summary>Runs the operator's <c>create-user</c> command and returns the one-time password it printed.</summary>
    public static async Task<string> CreateAsync(AppFactory factory, string email, string role)
    {
        using var output = new StringWriter();
        var exit = await OperatorCommands.RunAsync(factory.Services, ["create-user", "--email", email, "--role", role], output);
        Assert.True(exit == 0, output.ToString());
        return OneTimePasswordLine().Match(output.ToString()).Groups[1].Value;
    }

    /// <summary>The sign-in form's first step: an e-mail address and a password.</summary>
    public static Task<HttpResponseMessage> SubmitPasswordAsync(HttpClient client, string email, string password) =>
        Clients.PostFormAsync(client, "/account/login", f =>
        {
            f["Input.Email"] = email;
            f["Input.Password"] = password;
            return f;
        });

    public static string Totp(string sharedKey) =>
        new Totp(Base32Encoding.ToBytes(sharedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();

    /// <summary>
    /// The whole first sign-in: one-time password, new password, authenticator set-up.
    /// Returns a client holding a session with a second factor.
    /// </summary>
    public static async Task<HttpClient> SignInFirstTimeAsync(AppFactory factory, string email, string role) =>
        (await EnrolAsync(factory, email, role)).Client;

    /// <summary>The whole first sign-in, returning also the authenticator key and recovery codes the officer was shown.</summary>
    public static async Task<Enrolment> EnrolAsync(AppFactory factory, string email, string role)
    {
        var oneTime = await CreateAsync(factory, email, role);
        var client = Clients.New(factory);

        var login = await Officers.SubmitPasswordAsync(client, email, oneTime);
        Assert.Equal("/account/change-password", login.Headers.Location?.OriginalString);

        var change = await Clients.PostFormAsync(client, "/account/change-password", f =>
        {
            f["Input.CurrentPassword"] = oneTime;
            f["Input.NewPassword"] = NewPassword;
            f["Input.ConfirmPassword"] = NewPassword;
            return f;
        });
        Assert.Equal("/account/setup-authenticator", change.Headers.Location?.OriginalString);

        var setupPage = await client.GetAsync("/account/setup-authenticator");
        var setup = await Html.ParseAsync(setupPage);
        var key = setup.QuerySelector("#authenticator-key")!.TextContent;
        var fields = Html.FormFields(setup);
        fields["Code"] = Totp(key);
        var enabled = await client.PostAsync("/account/setup-authenticator", new FormUrlEncodedContent(fields));
        var done = await Html.ParseAsync(enabled);
        var recoveryCodes = done.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        return new Enrolment(client, key, recoveryCodes);
    }

    /// <summary>Signs in again with the password and a code from the authenticator; returns the client, with a second factor.</summary>
    public static async Task<HttpClient> SignInAsync(AppFactory factory, string email, string key)
    {
        var client = Clients.New(factory);
        var login = await Officers.SubmitPasswordAsync(client, email, NewPassword);
        Assert.StartsWith("/account/login-2fa", login.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var code = await Clients.PostFormAsync(client, "/account/login-2fa", f =>
        {
            f["Code"] = Totp(key);
            return f;
        });
        Assert.Equal("/triage", code.Headers.Location?.OriginalString);
        return client;
    }

    public sealed record Enrolment(HttpClient Client, string Key, IReadOnlyList<string> RecoveryCodes);

    [GeneratedRegex("One-time password: (\\S+)")]
    private static partial Regex OneTimePasswordLine();
}
