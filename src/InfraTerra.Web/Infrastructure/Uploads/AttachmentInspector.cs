using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>
/// Decides what an uploaded file is from its bytes (never its name or declared type), refuses
/// what is not a plain photo or PDF, and cleans what it keeps: images are decoded within pixel
/// limits and re-encoded, which drops EXIF, XMP and IPTC (GPS, camera serial); PDFs get their
/// author fields and XMP blanked in place. The caller keeps only the cleaned bytes.
/// </summary>
public static partial class AttachmentInspector
{
    public const int MaxFiles = 5;
    public const long MaxFileBytes = 10 * 1024 * 1024;
    public const long MaxTotalBytes = 30 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const int MaxSide = 12_000;

    public static Inspection Inspect(byte[] original)
    {
        var hash = SHA256.HashData(original);
        return SniffType(original) switch
        {
            "image/jpeg" or "image/webp" => CleanImage(original, hash, SKEncodedImageFormat.Jpeg, "image/jpeg"),
            "image/png" => CleanImage(original, hash, SKEncodedImageFormat.Png, "image/png"),
            "application/pdf" => CleanPdf(original, hash),
            _ => Inspection.Refused(UploadProblem.UnsupportedType),
        };
    }

    public static string? SniffType(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return bytes.StartsWith("%PDF-"u8) ? "application/pdf" : null;
    }

    private static Inspection CleanImage(byte[] original, byte[] hash, SKEncodedImageFormat format, string contentType)
    {
        if (ContainsForeignPayload(original))
        {
            return Inspection.Refused(UploadProblem.Polyglot);
        }

        using var data = SKData.CreateCopy(original);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return Inspection.Refused(UploadProblem.Damaged);
        }

        // Checked from the header, before any pixel is decoded: a few kilobytes can claim gigapixels.
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
        {
            return Inspection.Refused(UploadProblem.TooManyPixels);
        }

        using var bitmap = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            return Inspection.Refused(UploadProblem.Damaged);
        }

        using var upright = Upright(bitmap, codec.EncodedOrigin);
        using var image = SKImage.FromBitmap(upright);
        using var encoded = image.Encode(format, 90);
        return Inspection.Accepted(encoded.ToArray(), contentType, hash, upright.Width, upright.Height);
    }

    /// <summary>Re-encoding drops the EXIF orientation, so the rotation is applied to the pixels instead.</summary>
    private static SKBitmap Upright(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        var (degrees, swap) = origin switch
        {
            SKEncodedOrigin.BottomRight => (180, false),
            SKEncodedOrigin.RightTop => (90, true),
            SKEncodedOrigin.LeftBottom => (270, true),
            _ => (0, false),
        };
        var rotated = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height, bitmap.ColorType, bitmap.AlphaType);
        using var canvas = new SKCanvas(rotated);
        canvas.Translate(rotated.Width / 2f, rotated.Height / 2f);
        canvas.RotateDegrees(degrees);
        canvas.Translate(-bitmap.Width / 2f, -bitmap.Height / 2f);
        using var source = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        return rotated;
    }

    private static readonly byte[][] BinaryMarkers = ["%PDF-"u8.ToArray(), [0x50, 0x4B, 0x03, 0x04]];

    private static readonly byte[][] TextMarkers =
        ["<script"u8.ToArray(), "<html"u8.ToArray(), "<?php"u8.ToArray(), "<svg"u8.ToArray(), "<body"u8.ToArray()];

    /// <summary>A file that is also a PDF, an archive or a web page (a polyglot) is refused, not just cleaned.</summary>
    private static bool ContainsForeignPayload(byte[] bytes)
    {
        var lower = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(bytes).ToLowerInvariant());
        return BinaryMarkers.Any(marker => bytes.AsSpan(1).IndexOf(marker) >= 0)
            || TextMarkers.Any(marker => lower.AsSpan(1).IndexOf(marker) >= 0);
    }

    [GeneratedRegex(@"/(Author|Creator|Producer|Title|Subject|Keywords)\s*[(<]")]
    private static partial Regex PdfInfoField();

    private static Inspection CleanPdf(byte[] original, byte[] hash)
    {
        var text = Encoding.Latin1.GetString(original);
        if (text.Contains("/JavaScript", StringComparison.Ordinal) || text.Contains("/JS", StringComparison.Ordinal)
            || text.Contains("/Launch", StringComparison.Ordinal) || text.Contains("/EmbeddedFile", StringComparison.Ordinal))
        {
            return Inspection.Refused(UploadProblem.ActiveContent);
        }

        if (!text.TrimEnd('\r', '\n', ' ', '\0').EndsWith("%%EOF", StringComparison.Ordinal))
        {
            return Inspection.Refused(UploadProblem.Damaged);
        }

        // Blank in place, same length, so every cross-reference offset in the file stays right.
        var cleaned = new StringBuilder(text);
        foreach (Match field in PdfInfoField().Matches(text))
        {
            var open = field.Index + field.Length - 1;
            var close = text.IndexOf(text[open] == '(' ? ')' : '>', open + 1);
            for (var i = open + 1; close > open && i < close; i++)
            {
                cleaned[i] = ' ';
            }
        }

        BlankBetween(text, cleaned, "<x:xmpmeta", "</x:xmpmeta>");
        var bytes = Encoding.Latin1.GetBytes(cleaned.ToString());
        return Inspection.Accepted(bytes, "application/pdf", hash, null, null);
    }

    private static void BlankBetween(string text, StringBuilder cleaned, string start, string end)
    {
        var at = 0;
        while ((at = text.IndexOf(start, at, StringComparison.Ordinal)) >= 0)
        {
            var stop = text.IndexOf(end, at, StringComparison.Ordinal);
            if (stop < 0)
            {
                return;
            }

            for (var i = at; i < stop + end.Length; i++)
            {
                cleaned[i] = ' ';
            }

            at = stop + end.Length;
        }
    }
}

public enum UploadProblem
{
    UnsupportedType,
    Damaged,
    TooManyPixels,
    Polyglot,
    ActiveContent,
    TooLarge,
    TooMany,
}

public sealed record Inspection(UploadProblem? Problem, byte[] Cleaned, string ContentType, byte[] OriginalHash, int? Width, int? Height)
{
    public static Inspection Refused(UploadProblem problem) => new(problem, [], "", [], null, null);

    public static Inspection Accepted(byte[] cleaned, string contentType, byte[] hash, int? width, int? height) =>
        new(null, cleaned, contentType, hash, width, height);
}
