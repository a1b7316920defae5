using System.Net;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>Failed sign-ins tell nothing about accounts, and one client can neither spray passwords nor lock an officer out.</summary>
public sealed class SignInThrottleTests
{
    [Fact]
    public async Task SignIn_EveryKindOfFailure_GivesTheSameMessage()
    {
        using var factory = NewApp(new() { ["RateLimits:SignInFailuresPerClient"] = "1000" });
        await Officers.EnrolAsync(factory, "known@example.org", Roles.Officer);
        await Officers.EnrolAsync(factory, "locked@example.org", Roles.Officer);
        await Officers.EnrolAsync(factory, "disabled@example.org", Roles.Officer);
        var client = ClientAt(factory, "192.0.2.10");
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await SignInAsync(client, "locked@example.org", "not-the-password");
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<OfficerUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync("locked@example.org"))!));
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync("disabled@example.org"))!, DateTimeOffset.MaxValue);
        }

        var messages = new[]
        {
            await MessageAsync(await SignInAsync(client, "nobody@example.org", Officers.NewPassword)),
            await MessageAsync(await SignInAsync(client, "known@example.org", "not-the-password")),
            await MessageAsync(await SignInAsync(client, "locked@example.org", Officers.NewPassword)),
            await MessageAsync(await SignInAsync(client, "disabled@example.org", Officers.NewPassword)),
        };

        Assert.Single(messages.Distinct());
        Assert.DoesNotContain("This account", messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswordsFromOneClient_DoNotLockTheAccountForOthers()
    {
        using var factory = NewApp();
        await Officers.EnrolAsync(factory, "target@example.org", Roles.Officer);
        var attacker = ClientAt(factory, "198.51.100.7");
        for (var attempt = 0; attempt < 8; attempt++)
        {
            await SignInAsync(attacker, "target@example.org", "guess-number-" + attempt);
        }

        var officer = await SignInAsync(ClientAt(factory, "203.0.113.20"), "target@example.org", Officers.NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, officer.StatusCode);
        Assert.StartsWith("/account/login-2fa", officer.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AfterFiveFailuresAcrossAccounts_TheClientIsRefusedEvenWithTheRightPassword()
    {
        using var factory = NewApp();
        await Officers.EnrolAsync(factory, "real@example.org", Roles.Officer);
        var sprayer = ClientAt(factory, "198.51.100.8");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SignInAsync(sprayer, $"guess{attempt}@example.org", Officers.NewPassword);
        }

        var refused = await SignInAsync(sprayer, "real@example.org", Officers.NewPassword);
        var elsewhere = await SignInAsync(ClientAt(factory, "203.0.113.21"), "real@example.org", Officers.NewPassword);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("sign-in is paused", await MessageAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    private static AppFactory NewApp(Dictionary<string, string?>? settings = null) =>
        new(settings) { ExtraServices = s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>() };

    private static HttpClient ClientAt(AppFactory factory, string address)
    {
        var client = Clients.New(factory);
        client.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, address);
        return client;
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password) =>
        Officers.SubmitPasswordAsync(client, email, password);

    private static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (await Html.ParseAsync(response)).QuerySelector(".validation-summary")!.TextContent.Trim();

    /// <summary>The test server has no remote address: each test client stands for a different one.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                await following();
            });
            next(app);
        };
    }
}
