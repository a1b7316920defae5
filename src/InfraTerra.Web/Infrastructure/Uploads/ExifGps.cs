using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

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
/// Reads the GPS position from a photo's EXIF block (JPEG APP1, PNG eXIf, WebP EXIF), for the
/// tipsters who ask to keep it. SkiaSharp does not expose GPS, and re-encoding drops it, so this
/// reads the original. Uploaded bytes are hostile: every offset is bounds-checked, entry counts
/// are capped, only two IFDs are visited (IFD0, then the GPS IFD) so cyclic offsets cannot loop,
/// and anything odd yields no position rather than an exception.
/// </summary>
public static class ExifGps
{
    private const int MaxIfdEntries = 256;
    private const int MaxJpegSegments = 512;
    private const int MaxChunks = 4096;

    private const ushort GpsIfdPointer = 0x8825;
    private const ushort LatitudeRefTag = 1;
    private const ushort LatitudeTag = 2;
    private const ushort LongitudeRefTag = 3;
    private const ushort LongitudeTag = 4;
    private const ushort StatusTag = 9;

    private const ushort AsciiType = 2;
    private const ushort LongType = 4;
    private const ushort RationalType = 5;
    private const ushort IfdType = 13;

    public static PhotoLocation? Read(ReadOnlySpan<byte> file)
    {
        try
        {
            var tiff = FindTiff(file);
            return tiff.IsEmpty ? null : ReadTiff(tiff);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            // Every read is bounds-checked; this is only a last line so a missed case never refuses a photo.
            return null;
        }
    }

    /// <summary>The TIFF structure inside the container, or empty when there is none.</summary>
    public static ReadOnlySpan<byte> FindTiff(ReadOnlySpan<byte> file)
    {
        var block = AttachmentInspector.SniffType(file) switch
        {
            "image/jpeg" => FromJpeg(file),
            "image/png" => FromPng(file),
            "image/webp" => FromWebP(file),
            _ => [],
        };

        // Some writers keep the JPEG-style "Exif\0\0" prefix in PNG and WebP chunks too.
        return block.StartsWith("Exif\0\0"u8) ? block[6..] : block;
    }

    private static ReadOnlySpan<byte> FromJpeg(ReadOnlySpan<byte> file)
    {
        var at = 2;
        for (var segment = 0; segment < MaxJpegSegments && at + 4 <= file.Length; segment++)
        {
            if (file[at] != 0xFF)
            {
                return [];
            }

            var marker = file[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            // Start of scan or end of image: metadata segments all come before.
            if (marker is 0xDA or 0xD9)
            {
                return [];
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(file.Slice(at + 2, 2));
            if (length < 2 || at + 2 + length > file.Length)
            {
                return [];
            }

            var payload = file.Slice(at + 4, length - 2);
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8))
            {
                return payload;
            }

            at += 2 + length;
        }

        return [];
    }

    private static ReadOnlySpan<byte> FromPng(ReadOnlySpan<byte> file)
    {
        long at = 8;
        for (var chunk = 0; chunk < MaxChunks && at + 12 <= file.Length; chunk++)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(file.Slice((int)at, 4));
            var type = file.Slice((int)at + 4, 4);
            if (at + 12 + length > file.Length)
            {
                return [];
            }

            if (type.SequenceEqual("eXIf"u8))
            {
                return file.Slice((int)at + 8, (int)length);
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return [];
            }

            at += 12 + length;
        }

        return [];
    }

    private static ReadOnlySpan<byte> FromWebP(ReadOnlySpan<byte> file)
    {
        long end = Math.Min(file.Length, 8L + BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(4, 4)));
        long at = 12;
        for (var chunk = 0; chunk < MaxChunks && at + 8 <= end; chunk++)
        {
            var type = file.Slice((int)at, 4);
            long length = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice((int)at + 4, 4));
            if (at + 8 + length > end)
            {
                return [];
            }

            if (type.SequenceEqual("EXIF"u8))
            {
                return file.Slice((int)at + 8, (int)length);
            }

            at += 8 + length + (length & 1);
        }

        return [];
    }

    public static PhotoLocation? ReadTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return null;
        }

        bool bigEndian;
        if (tiff.StartsWith("MM"u8))
        {
            bigEndian = true;
        }
        else if (tiff.StartsWith("II"u8))
        {
            bigEndian = false;
        }
        else
        {
            return null;
        }

        var reader = new TiffReader(tiff, bigEndian);
        if (reader.UInt16(2) != 42 || reader.UInt32(4) is not { } ifd0 || reader.Entries(ifd0) is not { } main)
        {
            return null;
        }

        var pointer = main.FirstOrDefault(e => e.Tag == GpsIfdPointer && e.Type is LongType or IfdType && e.Count == 1);
        if (pointer.Tag != GpsIfdPointer || reader.Entries(pointer.Value) is not { } gps)
        {
            return null;
        }

        if (reader.Ascii(gps, StatusTag) == 'V')
        {
            // The receiver itself marked the fix as void.
            return null;
        }

        var latitude = Degrees(reader, gps, LatitudeTag, reader.Ascii(gps, LatitudeRefTag), 'N', 'S', 90);
        var longitude = Degrees(reader, gps, LongitudeTag, reader.Ascii(gps, LongitudeRefTag), 'E', 'W', 180);
        if (latitude is not { } lat || longitude is not { } lon)
        {
            return null;
        }

        // Exactly 0, 0 is what many devices write when they had no fix at all.
        return lat == 0 && lon == 0 ? null : new PhotoLocation(lat, lon);
    }

    private static double? Degrees(TiffReader reader, List<Entry> gps, ushort tag, char? reference, char positive, char negative, double limit)
    {
        var entry = gps.FirstOrDefault(e => e.Tag == tag);
        if (entry.Tag != tag || entry.Type != RationalType || entry.Count != 3 || (reference != positive && reference != negative))
        {
            return null;
        }

        double total = 0;
        double[] scale = [1, 60, 3600];
        for (var i = 0; i < 3; i++)
        {
            var at = (long)entry.Value + (i * 8);
            if (reader.UInt32(at) is not { } numerator || reader.UInt32(at + 4) is not { } denominator || denominator == 0)
            {
                return null;
            }

            total += (double)numerator / denominator / scale[i];
        }

        if (!double.IsFinite(total) || total > limit)
        {
            return null;
        }

        return reference == negative ? -total : total;
    }

    private readonly record struct Entry(ushort Tag, ushort Type, uint Count, uint Value, long ValueAt);

    private readonly ref struct TiffReader(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public ushort? UInt16(long at) => at >= 0 && at + 2 <= _bytes.Length
            ? bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_bytes.Slice((int)at, 2)) : BinaryPrimitives.ReadUInt16LittleEndian(_bytes.Slice((int)at, 2))
            : null;

        public uint? UInt32(long at) => at >= 0 && at + 4 <= _bytes.Length
            ? bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_bytes.Slice((int)at, 4)) : BinaryPrimitives.ReadUInt32LittleEndian(_bytes.Slice((int)at, 4))
            : null;

        /// <summary>An IFD's entries, or null when it does not fit in the block or claims too many.</summary>
        public List<Entry>? Entries(long at)
        {
            if (UInt16(at) is not { } count || count > MaxIfdEntries || at + 2 + (count * 12L) > _bytes.Length)
            {
                return null;
            }

            var entries = new List<Entry>(count);
            for (var i = 0; i < count; i++)
            {
                var start = at + 2 + (i * 12L);
                entries.Add(new Entry(UInt16(start)!.Value, UInt16(start + 2)!.Value, UInt32(start + 4)!.Value, UInt32(start + 8)!.Value, start + 8));
            }

            return entries;
        }

        /// <summary>The first character of a short ASCII value, which EXIF stores inside the entry itself.</summary>
        public char? Ascii(List<Entry> entries, ushort tag)
        {
            var entry = entries.FirstOrDefault(e => e.Tag == tag);
            if (entry.Tag != tag || entry.Type != AsciiType || entry.Count is < 1 or > 4)
            {
                return null;
            }

            var first = _bytes[(int)entry.ValueAt];
            return first is >= 0x20 and < 0x7F ? (char)first : null;
        }
    }
}
