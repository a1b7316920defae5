using System.Security.Claims;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace InfraTerra.Web.Infrastructure.Accounts;

/// <summary>Officer accounts: Identity with protected tokens, the session cookie, and the policy every officer page needs.</summary>
public static class OfficerAccounts
{
    /// <summary>The triage pages: Officers and Supervisors, never an Administrator who holds neither.</summary>
    public const string TriagePolicy = "Triage";
    public const string SupervisorPolicy = "Supervisor";
    public const string AdminPolicy = "Admin";
    public const string SecondFactorClaim = "amr";
    public const string SecondFactorValue = "mfa";

    public static IServiceCollection AddOfficerAccounts(this IServiceCollection services, DevRelaxations relaxations)
    {
        services.AddIdentity<OfficerUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 6;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserStore<ProtectedTokenUserStore>()
            .AddSignInManager<OfficerSignInManager>()
            .AddDefaultTokenProviders();
        services.Configure<SecurityStampValidatorOptions>(OfficerSessions.Configure);
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "InfraTerra.Officer";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookiePolicies.SecureCookies(relaxations);
            o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Events.OnSigningIn = OfficerSessions.OnSigningIn;
            o.Events.OnRedirectToAccessDenied = RefuseInPlace;
            var checkStamp = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                await checkStamp(context);
                if (context.Principal is not null)
                {
                    await OfficerSessions.FollowAccountChangesAsync(context);
                }
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IConfiguration>((o, configuration) => o.ExpireTimeSpan = OfficerSessions.IdleTimeout(configuration));
        services.AddAuthorizationBuilder()
            .AddPolicy(TriagePolicy, p => WithSecondFactor(p).RequireRole(Roles.Officer, Roles.Supervisor))
            .AddPolicy(SupervisorPolicy, p => WithSecondFactor(p).RequireRole(Roles.Supervisor))
            .AddPolicy(AdminPolicy, p => WithSecondFactor(p).RequireRole(Roles.Administrator));
        services.AddScoped<OfficerPageFilter>();
        services.AddScoped<AccountAdministration>();
        return services;
    }

    /// <summary>
    /// A session without the second factor is sent to set one up; a wrong role is a 403 at the
    /// address asked for (the status page explains), not a redirect that hides what was refused.
    /// </summary>
    private static Task RefuseInPlace(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (!context.HttpContext.User.HasSecondFactor())
        {
            context.Response.Redirect("/account/setup-authenticator");
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Task.CompletedTask;
    }

    private static AuthorizationPolicyBuilder WithSecondFactor(AuthorizationPolicyBuilder policy) => policy
        .RequireAuthenticatedUser()
        .RequireClaim(SecondFactorClaim, SecondFactorValue);

    /// <summary>Where an officer lands after sign-in: the queue, or the accounts for an Administrator who reads no tip.</summary>
    public static async Task<string> HomeAsync(UserManager<OfficerUser> users, OfficerUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return !roles.Contains(Roles.Officer) && !roles.Contains(Roles.Supervisor) && roles.Contains(Roles.Administrator)
            ? "/admin"
            : "/triage";
    }

    public static bool HasSecondFactor(this ClaimsPrincipal user) =>
        user.HasClaim(SecondFactorClaim, SecondFactorValue);
}
