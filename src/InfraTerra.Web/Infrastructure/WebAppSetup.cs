using InfraTerra.Web.Features.Feeds;
using InfraTerra.Web.Catalogue;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using FluentValidation;
using FluentValidation.AspNetCore;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Api;
using InfraTerra.Web.Features.Notices;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Caching;
using InfraTerra.Web.Infrastructure.Captcha;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Forms;
using InfraTerra.Web.Infrastructure.Localization;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.WebEncoders;
using Serilog;

namespace InfraTerra.Web.Infrastructure;

public static class WebAppSetup
{
    public const string OfficerPolicy = "Officer";
    public const string SecondFactorClaim = "amr";
    public const string SecondFactorValue = "mfa";

    public static WebApplicationBuilder AddInfraTerra(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var relaxations = DevRelaxations.From(builder.Configuration, builder.Environment);
        services.AddSingleton(relaxations);
        // The logger lives in DI, not in the static Log.Logger, so two app instances in one
        // process (tests, operator commands) never write into each other's sinks.
        services.AddSerilog(
            (sp, logger) => logger
                .ReadFrom.Configuration(sp.GetRequiredService<IConfiguration>())
                .ReadFrom.Services(sp)
                .Enrich.FromLogContext(),
            preserveStaticLogger: true);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DataFolder.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(sp => TipKeys.Load(
            sp.GetRequiredService<IConfiguration>(), relaxations, sp.GetRequiredService<DataFolder>()));
        services.AddSingleton<TipSealer>();
        services.AddScoped<AttachmentIntake>();
        services.AddScoped<TipStore>();
        services.AddSingleton<OriginalFileHash>();
        services.AddSingleton<ReceiptCodes>();
        services.AddSingleton<ClientKeys>();
        services.AddSingleton<FollowUpGuard>();
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<SubmissionLimits>();
        services.AddSingleton(_ => new ClientDecodeTurns());
        services.AddSingleton(sp => DecodeGate.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => CaptchaSettings.From(sp.GetRequiredService<IConfiguration>(), relaxations));
        services.AddSingleton<ServerQuestion>();
        services.AddSingleton<ProofOfWork>();
        services.AddHttpClient<ReCaptcha>(c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddScoped<HumanCheck>();
        services.AddSingleton<PublicFormGate>();
        services.AddSingleton(sp => new NoticeVisibility(
            sp.GetRequiredService<IConfiguration>().GetValue("Notices:ArrestedGracePeriod", NoticeVisibility.DefaultArrestedGracePeriod)));

        services.AddAppDatabase();
        services.AddAppDataProtection(builder.Configuration, relaxations);

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
            o.Cookie.SecurePolicy = SecureCookies(relaxations);
            o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Events.OnSigningIn = OfficerSessions.OnSigningIn;
        });
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = SecureCookies(relaxations));
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = SecureCookies(relaxations));
        services.AddAuthorizationBuilder()
            .AddPolicy(OfficerPolicy, p => p
                .RequireAuthenticatedUser()
                .RequireRole(Roles.All)
                .RequireClaim(SecondFactorClaim, SecondFactorValue));

        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Names and texts in Arabic, French and Spanish are written as characters, not &#x..; entities.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RouteOptions>(o =>
        {
            o.LowercaseUrls = true;
            o.LowercaseQueryStrings = false;
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizeFolder("/Triage", OfficerPolicy);
            o.Conventions.AuthorizeFolder("/Account");
            o.Conventions.AllowAnonymousToPage("/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Account/AccessDenied");
        });
        // Validators run explicitly in handlers; registering them also lets the client-side
        // adapters emit data-val attributes for progressive enhancement.
        services.AddValidatorsFromAssemblyContaining<SharedResource>(ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddFluentValidationClientsideAdapters();

        services.AddPublicOutputCache();
        services.AddSingleton<NoticeFilterOptions>();
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        return builder;
    }

    public static WebApplication UseInfraTerra(this WebApplication app)
    {
        if (app.Configuration.GetValue("Proxy:ForwardedProto", false))
        {
            // Behind a TLS-terminating proxy: trust only the scheme it reports (for HSTS and secure
            // cookies), and only from Proxy:TrustedProxies when they are listed. X-Forwarded-For is not
            // applied to the connection: only ClientKeys reads it, to hash it for the rate limits.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in ClientKeys.TrustedProxies(app.Configuration))
            {
                forwarded.KnownProxies.Add(proxy);
            }

            app.UseForwardedHeaders(forwarded);
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500");
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = RequestLog.WithoutPublicFormPosts(app.Services.GetRequiredService<Serilog.ILogger>());
            o.EnrichDiagnosticContext = RequestLog.MarkPublicFormPosts;
            // Method, path, status and timing only: never the client's address, user agent or query.
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        });
        app.UseMiddleware<CulturePrefixMiddleware>();
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseMiddleware<PublicFormGate>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOutputCache();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapRazorPages();
        app.MapNoticePhotos();
        app.MapFeeds();
        app.MapNoticesApi();
        app.MapTipChallenge();
        return app;
    }

    /// <summary>Every cookie (sign-in, antiforgery, the TempData that carries a receipt) is HTTPS-only unless <c>Dev:InsecureCookies</c>.</summary>
    private static CookieSecurePolicy SecureCookies(DevRelaxations relaxations) =>
        relaxations.InsecureCookies ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    public static bool HasSecondFactor(this ClaimsPrincipal user) =>
        user.HasClaim(SecondFactorClaim, SecondFactorValue);
}
