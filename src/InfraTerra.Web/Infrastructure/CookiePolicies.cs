namespace InfraTerra.Web.Infrastructure;

/// <summary>Every cookie (sign-in, antiforgery, the TempData that carries a receipt) is HTTPS-only unless <c>Dev:InsecureCookies</c>.</summary>
public static class CookiePolicies
{
    public static CookieSecurePolicy SecureCookies(DevRelaxations relaxations) =>
        relaxations.InsecureCookies ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    public static IServiceCollection AddCookiePolicies(this IServiceCollection services, DevRelaxations relaxations)
    {
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = SecureCookies(relaxations));
        return services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = SecureCookies(relaxations));
    }
}
