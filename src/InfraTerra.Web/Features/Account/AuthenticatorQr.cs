using System.Globalization;
using QRCoder;

namespace InfraTerra.Web.Features.Account;

/// <summary>
/// The authenticator key as an <c>otpauth://</c> address and as a QR code drawn on the server, as
/// inline SVG: the key never goes to another host, and the page needs no script and no CSP change.
/// </summary>
public static class AuthenticatorQr
{
    public const string Issuer = "InfraTerra";

    /// <summary>Key URI format (issuer prefix in the label, and as a parameter for apps that read only that).</summary>
    public static string Uri(string email, string base32Key) => string.Create(CultureInfo.InvariantCulture,
        $"otpauth://totp/{Issuer}:{System.Uri.EscapeDataString(email)}?secret={System.Uri.EscapeDataString(base32Key)}&issuer={Issuer}&digits=6");

    /// <summary>An <c>&lt;svg&gt;</c> element with an accessible name; only the key is encoded, nothing from the request.</summary>
    public static string Svg(string otpauthUri, string label)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(5, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.WidthHeightAttribute);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return "<svg role=\"img\" aria-label=\"" + System.Net.WebUtility.HtmlEncode(label) + "\" class=\"qr-code\" id=\"authenticator-qr\""
            + svg[(start + "<svg".Length)..];
    }
}
