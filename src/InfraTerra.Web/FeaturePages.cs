using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Forms;

namespace InfraTerra.Web;

/// <summary>Razor Pages rooted at /Features, who may open which folder, validators, health and HSTS.</summary>
public static class FeaturePages
{
    public static IServiceCollection AddFeaturePages(this IServiceCollection services)
    {
        services.Configure<RouteOptions>(o =>
        {
            o.LowercaseUrls = true;
            o.LowercaseQueryStrings = false;
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizeFolder("/Triage", OfficerAccounts.TriagePolicy);
            o.Conventions.AuthorizeFolder("/Triage/Audit", OfficerAccounts.SupervisorPolicy);
            o.Conventions.AuthorizeFolder("/Triage/Notices/Manage", OfficerAccounts.SupervisorPolicy);
            o.Conventions.AuthorizeFolder("/Triage/Dashboard", OfficerAccounts.SupervisorPolicy);
            o.Conventions.AuthorizeFolder("/Admin", OfficerAccounts.AdminPolicy);
            o.Conventions.AuthorizeFolder("/Account");
            o.Conventions.AllowAnonymousToPage("/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Account/AccessDenied");
        }).AddMvcOptions(o =>
        {
            o.Filters.Add<PostNeedsAHandler>();
            o.Filters.AddService<OfficerPageFilter>();
        });
        // Validators run explicitly in handlers. No client-side adapters: no script reads data-val
        // attributes, and they carried FluentValidation's untranslated default texts.
        services.AddValidatorsFromAssemblyContaining<SharedResource>(ServiceLifetime.Scoped, includeInternalTypes: true);
        return services;
    }

    public static IServiceCollection AddHealthAndHsts(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        return services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
    }
}
