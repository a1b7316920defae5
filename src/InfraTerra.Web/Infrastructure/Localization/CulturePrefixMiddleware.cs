using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace InfraTerra.Web.Infrastructure.Localization;

/// <summary>
/// <c>/fr/notices</c> is <c>/notices</c> in French: the prefix moves into PathBase and sets the
/// culture. Nothing is read from cookies or Accept-Language, so a URL always means one page.
/// </summary>
public sealed class CulturePrefixMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var culture = SiteCultures.Default;
        foreach (var candidate in SiteCultures.All)
        {
            var prefix = SiteCultures.Prefix(candidate);
            if (prefix.Length > 0 && context.Request.Path.StartsWithSegments(prefix, StringComparison.Ordinal, out var rest))
            {
                culture = candidate;
                context.Request.PathBase = context.Request.PathBase.Add(prefix);
                context.Request.Path = rest.HasValue ? rest : "/";
                break;
            }
        }

        var info = SiteCultures.Get(culture);
        CultureInfo.CurrentCulture = info;
        CultureInfo.CurrentUICulture = info;
        context.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(info), provider: null));
        return next(context);
    }
}
