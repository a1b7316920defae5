namespace InfraTerra.Web.Infrastructure.Localization;

/// <summary>The same page in every language: the switcher's links and the hreflang alternates.</summary>
public static class LanguageLinks
{
    public static string CurrentLanguage(this HttpContext context) =>
        System.Globalization.CultureInfo.CurrentUICulture.Name is var name && SiteCultures.IsSupported(name) ? name : SiteCultures.Default;

    /// <summary>Site-relative URL of this page in <paramref name="language"/>, query included.</summary>
    public static string PageIn(this HttpContext context, string language)
    {
        var request = context.Request;
        var basePath = StripCulturePrefix(request.PathBase.Value ?? "");
        var path = request.Path.Value is { Length: > 0 } p ? p : "/";
        var url = basePath + SiteCultures.Prefix(language) + (path == "/" && language != SiteCultures.Default ? "" : path);
        return (url.Length == 0 ? "/" : url) + request.QueryString.Value;
    }

    /// <summary>Absolute URL of this page in <paramref name="language"/>, for hreflang alternates.</summary>
    public static string AbsolutePageIn(this HttpContext context, string language) =>
        PublicUrls.Origin(context) + context.PageIn(language);

    private static string StripCulturePrefix(string pathBase)
    {
        foreach (var language in SiteCultures.All)
        {
            var prefix = SiteCultures.Prefix(language);
            if (prefix.Length > 0 && pathBase.EndsWith(prefix, StringComparison.Ordinal))
            {
                return pathBase[..^prefix.Length];
            }
        }

        return pathBase;
    }
}
