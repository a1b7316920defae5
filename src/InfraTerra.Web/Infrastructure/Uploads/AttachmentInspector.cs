using System.Security.Cryptography;
using SkiaSharp;

namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>
/// Decides what an uploaded file is from its bytes (never its name or declared type), refuses
/// what is not a plain photo or PDF, and cleans what it keeps: images are decoded within pixel
/// limits and re-encoded, which drops EXIF, XMP and IPTC (GPS, camera serial); PDFs are rebuilt
/// from their pages (<see cref="PdfRebuilder"/>). The caller keeps only the cleaned bytes.
/// </summary>
public static class AttachmentInspector
{
    public const int MaxFiles = 5;
    public const long MaxFileBytes = 10 * 1024 * 1024;
    public const long MaxTotalBytes = 30 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const int MaxSide = 12_000;

    /// <summary>CPU and memory heavy for images and PDFs: callers hold a <see cref="DecodeGate"/> slot around it.</summary>
    public static Inspection Inspect(byte[] original)
    {
        var hash = SHA256.HashData(original);
        return SniffType(original) switch
        {
            "image/jpeg" => CleanImage(original, hash, "image/jpeg", SKEncodedImageFormat.Jpeg, "image/jpeg"),
            "image/webp" => CleanImage(original, hash, "image/webp", SKEncodedImageFormat.Jpeg, "image/jpeg"),
            "image/png" => CleanImage(original, hash, "image/png", SKEncodedImageFormat.Png, "image/png"),
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

    private static Inspection CleanImage(
        byte[] original, byte[] hash, string sniffed, SKEncodedImageFormat format, string contentType)
    {
        // A file that is also a PDF, an archive or a web page (a polyglot) is refused, not just cleaned.
        if (ImageStructure.HasForeignTrailer(original, sniffed))
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

        using var upright = Orientation.Upright(bitmap, codec.EncodedOrigin);
        using var encoded = (upright ?? bitmap).Encode(format, 90);
        var shown = upright ?? bitmap;
        return encoded is null
            ? Inspection.Refused(UploadProblem.Damaged)
            : Inspection.Accepted(encoded.ToArray(), contentType, hash, shown.Width, shown.Height);
    }

    private static Inspection CleanPdf(byte[] original, byte[] hash)
    {
        // The scan refuses what must not be opened at all, before PDFsharp parses anything.
        var verdict = PdfScanner.Scan(original);
        if (verdict == PdfVerdict.ActiveContent)
        {
            return Inspection.Refused(UploadProblem.ActiveContent);
        }

        if (verdict == PdfVerdict.Damaged || !original.AsSpan().TrimEnd("\r\n \0"u8).EndsWith("%%EOF"u8))
        {
            return Inspection.Refused(UploadProblem.Damaged);
        }

        var (rebuilt, problem) = PdfRebuilder.Rebuild(original);
        return problem is { } refused
            ? Inspection.Refused(refused)
            : Inspection.Accepted(rebuilt, "application/pdf", hash, null, null);
    }
}

public enum UploadProblem
{
    UnsupportedType,
    Damaged,
    TooManyPixels,
    Polyglot,
    ActiveContent,
    UncleanablePdfImage,
    TooLarge,
    TooMany,
}

public sealed record Inspection(UploadProblem? Problem, byte[] Cleaned, string ContentType, byte[] OriginalHash, int? Width, int? Height)
{
    public static Inspection Refused(UploadProblem problem) => new(problem, [], "", [], null, null);

    public static Inspection Accepted(byte[] cleaned, string contentType, byte[] hash, int? width, int? height) =>
        new(null, cleaned, contentType, hash, width, height);
}
