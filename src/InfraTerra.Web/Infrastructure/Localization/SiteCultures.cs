using System.Globalization;

namespace InfraTerra.Web.Infrastructure.Localization;

/// <summary>
/// INTERPOL's four working languages. English has no URL prefix; the others live under
/// <c>/fr</c>, <c>/es</c>, <c>/ar</c>, which the <see cref="CulturePrefixMiddleware"/> turns
/// into the request's PathBase, so every route, link (<c>~/</c>) and redirect carries it.
/// </summary>
public static class SiteCultures
{
    public const string Default = "en";

    public static readonly IReadOnlyList<string> All = ["en", "fr", "es", "ar"];

    private static readonly Dictionary<string, CultureInfo> Cultures = All.ToDictionary(name => name, Create);

    public static bool IsSupported(string? name) => name is not null && Cultures.ContainsKey(name);

    public static CultureInfo Get(string name) => Cultures[name];

    public static bool IsRightToLeft(string name) => Cultures[name].TextInfo.IsRightToLeft;

    public static string Prefix(string name) => name == Default ? "" : "/" + name;

    /// <summary>Each language's own name, as its speakers write it, for the switcher.</summary>
    public static string NativeName(string name) => name switch
    {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "ar" => "العربية",
        _ => name,
    };

    private static CultureInfo Create(string name)
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo(name).Clone();

        // Dates on notices are Gregorian in every language (some Arabic cultures default to Hijri).
        if (culture.DateTimeFormat.Calendar is not GregorianCalendar)
        {
            var gregorian = culture.OptionalCalendars.OfType<GregorianCalendar>().FirstOrDefault();
            if (gregorian is not null)
            {
                culture.DateTimeFormat.Calendar = gregorian;
            }
        }

        return CultureInfo.ReadOnly(culture);
    }
}
