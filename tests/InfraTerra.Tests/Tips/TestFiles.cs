using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

namespace InfraTerra.Tests.Tips;

/// <summary>Real files made on the spot: photos, a photo with GPS-bearing EXIF, bombs, broken files, PDFs.</summary>
public static class TestFiles
{
    public const string ExifMarker = "GPS-SECRET-47.3769N-8.5417E";

    public static byte[] Jpeg(int width = 320, int height = 240) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width = 64, int height = 48) => Encode(width, height, SKEncodedImageFormat.Png);

    /// <summary>A JPEG with an APP1 EXIF segment right after the start marker, as cameras write it.</summary>
    public static byte[] JpegWithExif()
    {
        var jpeg = Jpeg();
        var tiff = new List<byte>();
        tiff.AddRange("Exif\0\0"u8.ToArray());
        tiff.AddRange([0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00]);
        tiff.AddRange(Encoding.ASCII.GetBytes(ExifMarker));
        var length = tiff.Count + 2;
        var segment = new List<byte> { 0xFF, 0xE1, (byte)(length >> 8), (byte)(length & 0xFF) };
        segment.AddRange(tiff);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>A GPS position as a camera writes it: a hemisphere letter and three rationals (degrees, minutes, seconds).</summary>
    public sealed record Gps(char LatitudeRef, (uint Numerator, uint Denominator)[] Latitude, char LongitudeRef, (uint Numerator, uint Denominator)[] Longitude);

    /// <summary>47° 22′ 36.84″ N, 8° 32′ 30.12″ E, that is 47.3769, 8.5417.</summary>
    public static readonly Gps Zurich = new('N', [(47, 1), (22, 1), (3684, 100)], 'E', [(8, 1), (32, 1), (3012, 100)]);

    /// <summary>Where things sit in <see cref="GpsTiff"/>, so tests can break one thing at a time.</summary>
    public static class GpsLayout
    {
        public const int Ifd0 = 8;
        public const int GpsPointerValue = 18;
        public const int GpsIfd = 26;
        public const int LatitudeRefValue = 36;
        public const int LatitudeCount = 44;
        public const int LatitudeOffset = 48;
        public const int Latitude = 80;
        public const int Longitude = 104;
        public const int End = 128;
    }

    /// <summary>
    /// A TIFF block as EXIF holds it: IFD0 with only the GPS IFD pointer (0x8825), then the GPS
    /// IFD with tags 1–4, then the rationals, then <see cref="ExifMarker"/> as loose bytes.
    /// </summary>
    public static byte[] GpsTiff(Gps gps, bool bigEndian = true)
    {
        var bytes = new List<byte>();
        void U16(int v) => bytes.AddRange(bigEndian ? [(byte)(v >> 8), (byte)v] : [(byte)v, (byte)(v >> 8)]);
        void U32(uint v) => bytes.AddRange(bigEndian
            ? [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]
            : [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)]);
        void Entry(int tag, int type, uint count, uint value)
        {
            U16(tag);
            U16(type);
            U32(count);
            U32(value);
        }

        void Letter(int tag, char letter)
        {
            U16(tag);
            U16(2);
            U32(2);
            bytes.AddRange([(byte)letter, 0, 0, 0]);
        }

        bytes.AddRange(bigEndian ? "MM"u8.ToArray() : "II"u8.ToArray());
        U16(42);
        U32(GpsLayout.Ifd0);
        U16(1);
        Entry(0x8825, 4, 1, GpsLayout.GpsIfd);
        U32(0);
        U16(4);
        Letter(1, gps.LatitudeRef);
        Entry(2, 5, 3, GpsLayout.Latitude);
        Letter(3, gps.LongitudeRef);
        Entry(4, 5, 3, GpsLayout.Longitude);
        U32(0);
        foreach (var (numerator, denominator) in gps.Latitude.Concat(gps.Longitude))
        {
            U32(numerator);
            U32(denominator);
        }

        bytes.AddRange(Encoding.ASCII.GetBytes(ExifMarker));
        return [.. bytes];
    }

    /// <summary>A JPEG with an APP1 "Exif\0\0" segment holding <paramref name="tiff"/>, right after the start marker.</summary>
    public static byte[] JpegWithExif(byte[] tiff)
    {
        var jpeg = Jpeg();
        var length = 2 + 6 + tiff.Length;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. "Exif\0\0"u8.ToArray(), .. tiff, .. jpeg[2..]];
    }

    /// <summary>A PNG with an eXIf chunk after its header chunk, where the PNG specification puts it.</summary>
    public static byte[] PngWithExif(byte[] tiff)
    {
        var png = Png();
        const int afterHeader = 8 + 4 + 4 + 13 + 4;
        return [.. png[..afterHeader], .. Chunk("eXIf", tiff), .. png[afterHeader..]];
    }

    /// <summary>A WebP in the extended format (VP8X with the EXIF flag) carrying an EXIF chunk after the image.</summary>
    public static byte[] WebPWithExif(byte[] tiff, int width = 96, int height = 64)
    {
        var simple = Encode(width, height, SKEncodedImageFormat.Webp);
        var header = new List<byte>();
        header.AddRange("VP8X"u8.ToArray());
        header.AddRange(LittleEndian(10));
        header.AddRange([0x08, 0, 0, 0]);
        header.AddRange(LittleEndian(width - 1)[..3]);
        header.AddRange(LittleEndian(height - 1)[..3]);
        var exif = new List<byte>();
        exif.AddRange("EXIF"u8.ToArray());
        exif.AddRange(LittleEndian(tiff.Length));
        exif.AddRange(tiff);
        if (tiff.Length % 2 == 1)
        {
            exif.Add(0);
        }

        byte[] body = [.. "WEBP"u8.ToArray(), .. header, .. simple[12..], .. exif];
        return [.. "RIFF"u8.ToArray(), .. LittleEndian(body.Length), .. body];
    }

    /// <summary>A tiny PNG whose header claims 50,000 × 50,000 pixels.</summary>
    public static byte[] PixelBomb()
    {
        var ihdr = new List<byte>();
        ihdr.AddRange(BigEndian(50_000));
        ihdr.AddRange(BigEndian(50_000));
        ihdr.AddRange([8, 2, 0, 0, 0]);
        return [.. new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, .. Chunk("IHDR", [.. ihdr]), .. Chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), .. Chunk("IEND", [])];
    }

    public static byte[] TruncatedJpeg()
    {
        var full = Noise(400, 400, SKEncodedImageFormat.Jpeg);
        return full[..(full.Length / 2)];
    }

    public static byte[] Polyglot() => [.. Jpeg(), .. new byte[] { 0x50, 0x4B, 0x03, 0x04 }, .. "hidden archive"u8.ToArray()];

    public static byte[] Pdf(string extra = "") => Encoding.Latin1.GetBytes(
        "%PDF-1.4\n1 0 obj\n<< /Author (Jane Sample Author) /Producer (SampleWriter 9) /Title (Evidence) >>\nendobj\n" +
        extra + "trailer\n<< /Info 1 0 R >>\n%%EOF\n");

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(30, 90, 160));
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 3f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    private static byte[] Noise(int width, int height, SKEncodedImageFormat format)
    {
        // Noise compresses badly, so half the file really is half the picture.
        var noise = RandomNumberGenerator.GetBytes(width * height * 3);
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(noise[i], noise[i + 1], noise[i + 2]));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    private static byte[] LittleEndian(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24)];

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var crc = Crc32([.. typeBytes, .. data]);
        return [.. BigEndian(data.Length), .. typeBytes, .. data, .. BigEndian((int)crc)];
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
