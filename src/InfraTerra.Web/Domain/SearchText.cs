using System.Globalization;
using System.Text;

namespace InfraTerra.Web.Domain;

/// <summary>Case- and accent-insensitive form of names, the same on every database engine.</summary>
public static class SearchText
{
    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = true;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                var lower = char.ToLowerInvariant(c);
                if (Unaccented(lower) is { } plain)
                {
                    builder.Append(plain);
                }
                else
                {
                    builder.Append(lower);
                }

                lastWasSpace = false;
            }
            else if (!lastWasSpace)
            {
                builder.Append(' ');
                lastWasSpace = true;
            }
        }

        return builder.ToString().Trim().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Latin letters that Unicode does not decompose into a base letter and a mark ("Đặng" is "dang", "Łukasz" "lukasz").</summary>
    private static string? Unaccented(char c) => c switch
    {
        'đ' or 'ð' => "d",
        'ł' => "l",
        'ø' => "o",
        'ħ' => "h",
        'ı' => "i",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => null,
    };
}
