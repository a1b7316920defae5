using System.Globalization;
using System.Text.Json;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.WebP;
using MetadataExtractor.IO;

namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>Where a photo was taken, as its camera recorded it, in decimal degrees (north and east positive).</summary>
public sealed record PhotoLocation(double Latitude, double Longitude)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static PhotoLocation? FromBytes(byte[] bytes) => JsonSerializer.Deserialize<PhotoLocation>(bytes);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Latitude:0.######}, {Longitude:0.######}");
}

/// <summary>
/// Reads the GPS position from a photo's EXIF block (JPEG APP1, PNG eXIf, WebP EXIF) with
/// MetadataExtractor, for the tipsters who ask to keep it. SkiaSharp does not expose GPS, and
/// re-encoding drops it, so this reads the original. Uploaded bytes are hostile: anything odd
/// (a void fix, exactly 0,0, out of range, a zero denominator, a damaged file) yields no
/// position rather than an exception.
/// </summary>
public static class ExifGps
{
    public static PhotoLocation? Read(byte[] file)
    {
        Func<Stream, IEnumerable<MetadataExtractor.Directory>>? reader = AttachmentInspector.SniffType(file) switch
        {
            "image/jpeg" => stream => JpegMetadataReader.ReadMetadata(stream, [new ExifReader()]),
            "image/png" => PngMetadataReader.ReadMetadata,
            "image/webp" => WebPMetadataReader.ReadMetadata,
            _ => null,
        };

        return reader is null ? null : Safely(() => reader(new MemoryStream(file, writable: false)));
    }

    /// <summary>The position in a bare TIFF structure, as EXIF holds it.</summary>
    public static PhotoLocation? ReadTiff(byte[] tiff) => Safely(() => new ExifReader().Extract(new ByteArrayReader(tiff)));

    private static PhotoLocation? Safely(Func<IEnumerable<MetadataExtractor.Directory>> read)
    {
        try
        {
            return read().OfType<GpsDirectory>().Select(Position).FirstOrDefault(p => p is not null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library throws several kinds of exception for damaged files; a photo is never refused for its EXIF.
            return null;
        }
    }

    private static PhotoLocation? Position(GpsDirectory gps)
    {
        if (gps.GetString(GpsDirectory.TagStatus) is { } status && status.StartsWith('V'))
        {
            // The receiver itself marked the fix as void.
            return null;
        }

        var latitude = Degrees(gps, GpsDirectory.TagLatitude, GpsDirectory.TagLatitudeRef, 'N', 'S', 90);
        var longitude = Degrees(gps, GpsDirectory.TagLongitude, GpsDirectory.TagLongitudeRef, 'E', 'W', 180);
        if (latitude is not { } lat || longitude is not { } lon)
        {
            return null;
        }

        // Exactly 0, 0 is what many devices write when they had no fix at all.
        return lat == 0 && lon == 0 ? null : new PhotoLocation(lat, lon);
    }

    private static double? Degrees(GpsDirectory gps, int tag, int referenceTag, char positive, char negative, double limit)
    {
        var reference = gps.GetString(referenceTag)?.Trim('\0', ' ');
        if (gps.GetRationalArray(tag) is not { Length: 3 } parts || reference is null || reference.Length != 1
            || (reference[0] != positive && reference[0] != negative) || parts.Any(p => p.Denominator == 0))
        {
            return null;
        }

        var total = parts[0].ToDouble() + (parts[1].ToDouble() / 60) + (parts[2].ToDouble() / 3600);
        if (!double.IsFinite(total) || total < 0 || total > limit)
        {
            return null;
        }

        return reference[0] == negative ? -total : total;
    }
}
