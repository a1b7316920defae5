using System.Net;

namespace InfraTerra.Web.Data;

/// <summary>Generated stand-in portraits for sample notices: a silhouette, initials and a SAMPLE mark. No real face.</summary>
public static class PlaceholderPhoto
{
    private static readonly string[] Backgrounds = ["#3b5b7a", "#5a4a78", "#2f6b5b", "#7a4b3b", "#4f5d2f", "#6b3b5a"];

    public static byte[] Svg(string familyName, string forenames, int seed)
    {
        var initials = WebUtility.HtmlEncode($"{Initial(forenames)}{Initial(familyName)}");
        var background = Backgrounds[Math.Abs(seed) % Backgrounds.Length];
        var svg = $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="300" height="400" viewBox="0 0 300 400" role="img">
              <rect width="300" height="400" fill="{background}"/>
              <circle cx="150" cy="140" r="70" fill="#d9dde3"/>
              <path d="M40 400 C40 290 90 240 150 240 C210 240 260 290 260 400 Z" fill="#d9dde3"/>
              <text x="150" y="162" font-family="sans-serif" font-size="56" font-weight="bold" text-anchor="middle" fill="{background}">{initials}</text>
              <rect x="0" y="352" width="300" height="48" fill="#000" fill-opacity="0.6"/>
              <text x="150" y="386" font-family="sans-serif" font-size="28" font-weight="bold" text-anchor="middle" fill="#fff" letter-spacing="6">SAMPLE</text>
            </svg>
            """;
        return System.Text.Encoding.UTF8.GetBytes(svg);
    }

    private static string Initial(string name) =>
        name.Length == 0 ? "" : name[..1].ToUpperInvariant();
}
