using System.Globalization;
using System.Security.Claims;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace InfraTerra.Web.Infrastructure.Accounts;

/// <summary>
/// How long an officer's session trusts what it was given at sign-in. The security stamp is
/// checked again every <see cref="RecheckInterval"/>, keeping how the officer signed in (the
/// <c>amr</c> claim: password only, or with the second factor). Setting up an authenticator is
/// open only for <see cref="EnrolmentWindow"/> after a password sign-in of an account without one.
/// </summary>
public static class OfficerSessions
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan EnrolmentWindow = TimeSpan.FromMinutes(15);
    public const string PasswordMethod = "pwd";
    public const int DefaultIdleTimeoutMinutes = 30;

    /// <summary>
    /// A session ends after <c>Officers:IdleTimeoutMinutes</c> without a request (the cookie slides
    /// while the officer works), so a screen left open does not stay signed in.
    /// </summary>
    public static TimeSpan IdleTimeout(IConfiguration configuration) =>
        TimeSpan.FromMinutes(configuration.GetValue("Officers:IdleTimeoutMinutes", DefaultIdleTimeoutMinutes) is var minutes and > 0
            ? minutes
            : throw new InvalidOperationException("Officers:IdleTimeoutMinutes must be a positive number of minutes."));

    public const int DefaultMaxSessionHours = 12;

    private const string EnrolUntil = "InfraTerra.EnrolUntil";
    private const string SignedInAt = "InfraTerra.SignedInAt";

    /// <summary>However active, a session ends <c>Officers:MaxSessionHours</c> after its sign-in: a stolen cookie does not live for ever.</summary>
    public static TimeSpan MaxSession(IConfiguration configuration) =>
        TimeSpan.FromHours(configuration.GetValue("Officers:MaxSessionHours", DefaultMaxSessionHours) is var hours and > 0
            ? hours
            : throw new InvalidOperationException("Officers:MaxSessionHours must be a positive number of hours."));

    public static void Configure(SecurityStampValidatorOptions options)
    {
        options.ValidationInterval = RecheckInterval;
        options.OnRefreshingPrincipal = KeepAuthenticationMethod;
    }

    /// <summary>Without this, the re-check rebuilds the principal from the database and the second factor is forgotten.</summary>
    public static Task KeepAuthenticationMethod(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.NewPrincipal?.Identity is ClaimsIdentity identity && context.CurrentPrincipal is { } current)
        {
            foreach (var claim in current.FindAll(OfficerAccounts.SecondFactorClaim))
            {
                identity.AddClaim(new Claim(claim.Type, claim.Value));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// On every request of a signed-in officer, before authorization: what an administrator changed
    /// applies now, not at the security stamp's next check. A disabled or removed account, or a
    /// session that relied on a second factor since reset, ends; changed roles replace the session's.
    /// </summary>
    public static async Task FollowAccountChangesAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id)
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        string? signedInAt = null;
        context.Properties.Items.TryGetValue(SignedInAt, out signedInAt);
        var tooOld = DateTimeOffset.TryParse(signedInAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var start)
            && now - start > MaxSession(services.GetRequiredService<IConfiguration>());
        var signIn = services.GetRequiredService<SignInManager<OfficerUser>>();
        var user = tooOld ? null : await signIn.UserManager.FindByIdAsync(id);
        if (user is null || user.DisabledAtUtc is not null || (context.Principal.HasSecondFactor() && !user.TwoFactorEnabled))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        var roles = (await signIn.UserManager.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal);
        var sessionRoles = context.Principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (!roles.SetEquals(sessionRoles))
        {
            var principal = await signIn.CreateUserPrincipalAsync(user);
            await KeepAuthenticationMethod(new SecurityStampRefreshingPrincipalContext { CurrentPrincipal = context.Principal, NewPrincipal = principal });
            context.ReplacePrincipal(principal);
            context.ShouldRenew = true;
        }
    }

    /// <summary>A password sign-in opens the enrolment window; refreshing that session keeps its end, never moves it.</summary>
    public static Task OnSigningIn(CookieSigningInContext context)
    {
        if (!context.Properties.Items.ContainsKey(SignedInAt))
        {
            context.Properties.Items[SignedInAt] = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>()
                .GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        }

        if (context.Principal?.HasClaim(OfficerAccounts.SecondFactorClaim, PasswordMethod) == true
            && !context.Properties.Items.ContainsKey(EnrolUntil))
        {
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            context.Properties.Items[EnrolUntil] = (now + EnrolmentWindow).ToString("O", CultureInfo.InvariantCulture);
        }

        return Task.CompletedTask;
    }

    public static async Task<bool> MayEnrolAsync(HttpContext http)
    {
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        string? until = null;
        session.Properties?.Items.TryGetValue(EnrolUntil, out until);
        return session.Principal?.HasClaim(OfficerAccounts.SecondFactorClaim, PasswordMethod) == true
            && DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var end)
            && http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() < end;
    }
}
