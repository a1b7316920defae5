using System.Globalization;

namespace InfraTerra.Web.Infrastructure.Localization;

/// <summary>Dates as people write them in each language, without a weekday (odd on a birth date).</summary>
public static class Dates
{
    public static string Long(DateOnly date) => date.ToString(
        CultureInfo.CurrentCulture.TwoLetterISOLanguageName == "es" ? "d 'de' MMMM 'de' yyyy" : "d MMMM yyyy",
        CultureInfo.CurrentCulture);

    public static string Long(DateTime date) => Long(DateOnly.FromDateTime(date));
}
