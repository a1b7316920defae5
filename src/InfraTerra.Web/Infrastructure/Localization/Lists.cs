using System.Globalization;

namespace InfraTerra.Web.Infrastructure.Localization;

/// <summary>Joins short lists with the comma of the visitor's language (Arabic writes "،").</summary>
public static class Lists
{
    public static string Join(IEnumerable<string?> items) =>
        string.Join(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ar" ? "، " : ", ", items.Where(i => !string.IsNullOrWhiteSpace(i)));
}
