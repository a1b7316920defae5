using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Features.Api;
using InfraTerra.Web.Features.Feeds;
using InfraTerra.Web.Features.Notices;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Features.Triage;
using InfraTerra.Web.Features.Triage.Notices;
using InfraTerra.Web.Features.Triage.Notifications;
using InfraTerra.Web.Features.Triage.Outcomes;
using InfraTerra.Web.Features.Triage.Retention;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Caching;
using InfraTerra.Web.Infrastructure.Captcha;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Email;
using InfraTerra.Web.Infrastructure.Forms;
using InfraTerra.Web.Infrastructure.Jobs;
using InfraTerra.Web.Infrastructure.Localization;
using InfraTerra.Web.Infrastructure.SharedState;
using InfraTerra.Web.Infrastructure.Telemetry;
using InfraTerra.Web.Infrastructure.Uploads;

namespace InfraTerra.Web;

/// <summary>
/// The composition root's two lists: the parts the app is made of, and the order in which a
/// request meets them. Each part registers itself beside its code.
/// </summary>
public static class AppComposition
{
    public static WebApplicationBuilder AddInfraTerra(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var relaxations = DevRelaxations.From(configuration, builder.Environment);
        builder.Services
            .AddSingleton(relaxations)
            .AddSingleton(TimeProvider.System)
            .AddAppLogging()
            .AddDataFolder()
            .AddSharedState(configuration)
            .AddSingleton<AppMetrics>()
            .AddAppDatabase()
            .AddScheduledJobs()
            .AddAppDataProtection(configuration, relaxations)
            .AddCookiePolicies(relaxations)
            .AddTipCrypto(relaxations)
            .AddAbuseLimits(configuration)
            .AddHumanCheck(configuration, relaxations)
            .AddUploadInspection()
            .AddPublicForms()
            .AddOfficerAccounts(relaxations)
            .AddAuditLog(relaxations)
            .AddSiteLocalization()
            .AddPublicOutputCache(configuration)
            .AddNoticeCatalogue()
            .AddTips()
            .AddTriageScores()
            .AddNoticeManagement()
            .AddOutcomesAndDashboard()
            .AddRetention()
            .AddOfficerNotifications()
            .AddEmailOutbox()
            .AddFeaturePages()
            .AddHealthAndHsts()
            // Last: it wraps whichever output cache store was registered last.
            .CountOutputCacheLookups();
        builder.AddOperatorMetrics();
        return builder;
    }

    public static WebApplication UseInfraTerra(this WebApplication app)
    {
        app.UseOperatorMetrics();
        app.UseProxyHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500");
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseRequestLog();
        app.UseMiddleware<CulturePrefixMiddleware>();
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = SiteIcon.CacheLong });
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
}
