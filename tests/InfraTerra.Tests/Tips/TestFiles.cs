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
