using System.Security.Cryptography;
using System.Text;

namespace InfraTerra.Web.Infrastructure.Crypto;

/// <summary>
/// Receipt codes: 120 random bits written as six groups of four Crockford base-32 characters
/// (no I, L, O or U, so nothing reads as another character). Stored only as a keyed hash.
/// </summary>
public sealed class ReceiptCodes(TipKeys keys)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Characters = 24;

    public static string NewCode()
    {
        var bytes = RandomNumberGenerator.GetBytes(15);
        var builder = new StringBuilder(Characters + 5);
        var buffer = 0;
        var bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                if (builder.Length > 0 && (builder.Length + 1) % 5 == 0)
                {
                    builder.Append('-');
                }

                builder.Append(Alphabet[(buffer >> bits) & 31]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Upper-cases, drops separators and maps look-alikes (O→0, I/L→1), so a code typed loosely still matches.</summary>
    public static string? Canonical(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > 64)
        {
            return null;
        }

        var builder = new StringBuilder(Characters);
        foreach (var raw in typed)
        {
            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (c is '-' or ' ')
            {
                continue;
            }

            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            builder.Append(c);
        }

        return builder.Length == Characters ? builder.ToString() : null;
    }

    public byte[] LookupHash(string canonicalCode) =>
        HMACSHA256.HashData(keys.LookupKey, Encoding.ASCII.GetBytes(canonicalCode));
}
