using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

namespace InfraTerra.Tests.Support;

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
    public static byte[] JpegWithExif(byte[] tiff) => JpegWithExif(tiff, Jpeg());

    private static byte[] JpegWithExif(byte[] tiff, byte[] jpeg)
    {
        var length = 2 + 6 + tiff.Length;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. "Exif\0\0"u8.ToArray(), .. tiff, .. jpeg[2..]];
    }

    /// <summary>A camera-sized photo (noise, so well over 1 MB) whose EXIF holds <paramref name="text"/> in plain.</summary>
    public static byte[] LargePhotoWithExifText(string text)
    {
        byte[] tiff = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, .. Encoding.ASCII.GetBytes(text)];
        return JpegWithExif(tiff, Noise(1280, 960, SKEncodedImageFormat.Jpeg));
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

    /// <summary>A one-page PDF (<see cref="TestPdfs"/>) whose document information names an author, with <paramref name="extra"/> objects (numbers below 80).</summary>
    public static byte[] Pdf(string extra = "", string text = TestPdfs.PageText) => TestPdfs.File(
        "1 0 obj\n<< /Author (Jane Sample Author) /Producer (SampleWriter 9) /Title (Evidence) >>\nendobj\n" + extra + TestPdfs.PageObjects(text),
        "/Info 1 0 R");

    /// <summary>A one-page PDF whose object 2 is a stream holding <paramref name="content"/>, with its exact /Length.</summary>
    public static byte[] PdfWithStream(byte[] content, string dictionary = "/Filter /FlateDecode", string extra = "") => TestPdfs.File(
        "1 0 obj\n<< /Author (Jane Sample Author) /Producer (SampleWriter 9) >>\nendobj\n" +
        $"2 0 obj\n<< /Length {content.Length} {dictionary} >>\nstream\n{Encoding.Latin1.GetString(content)}\nendstream\nendobj\n" +
        extra + TestPdfs.PageObjects(),
        "/Info 1 0 R");

    /// <summary>
    /// Seeded random bytes, as compressed stream data looks, with <paramref name="planted"/> written
    /// at spread-out places: what 3 random bytes spell by chance in a real 5 MB PDF.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "A fixed seed makes any failure reproducible; nothing here is secret.")]
    public static byte[] RandomBytes(int length, int seed, params string[] planted)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        for (var i = 0; i < planted.Length; i++)
        {
            Encoding.Latin1.GetBytes(planted[i]).CopyTo(bytes, (i + 1) * length / (planted.Length + 1));
        }

        return bytes;
    }

    /// <summary>A PDF with a FlateDecode object stream (PDF 1.5) holding <paramref name="objectBody"/> as object 3.</summary>
    public static byte[] PdfWithObjectStream(string objectBody, string dictionary = "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode")
    {
        var objects = Encoding.Latin1.GetBytes("3 0 " + objectBody);
        return PdfWithStream(Deflate(objects), dictionary);
    }

    public static byte[] Deflate(byte[] raw, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>A real ZIP archive holding one small text file.</summary>
    public static byte[] Zip()
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("payload.txt").Open();
            entry.Write("hidden archive"u8);
        }

        return output.ToArray();
    }

    /// <summary>
    /// A seeded noise JPEG with <paramref name="planted"/> written into its entropy-coded data, where
    /// no 0xFF is near (so no marker is made): what a few random bytes of a real photo spell by chance.
    /// </summary>
    public static byte[] JpegWithEntropyBytes(params byte[][] planted)
    {
        var jpeg = Noise(256, 256, SKEncodedImageFormat.Jpeg, new Random(7));
        var sos = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
        var scan = sos + 2 + ((jpeg[sos + 2] << 8) | jpeg[sos + 3]);
        var at = scan + ((jpeg.Length - scan) / 3);
        foreach (var bytes in planted)
        {
            while (jpeg.AsSpan(at - 1, bytes.Length + 2).Contains((byte)0xFF))
            {
                at++;
            }

            bytes.CopyTo(jpeg, at);
            at += (jpeg.Length - scan) / (planted.Length + 3);
        }

        return jpeg;
    }

    /// <summary>
    /// A PNG stored without compression whose pixel bytes spell other files' signatures, so the
    /// picture's own data holds them, as compressed data does by chance.
    /// </summary>
    public static byte[] PngWithPixelBytes(byte[] spelled)
    {
        var width = (spelled.Length + 2) / 3;
        var rows = new byte[2 * (1 + (width * 3))];
        spelled.CopyTo(rows, 1);
        var ihdr = new List<byte>();
        ihdr.AddRange(BigEndian(width));
        ihdr.AddRange(BigEndian(2));
        ihdr.AddRange([8, 2, 0, 0, 0]);
        return [.. new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, .. Chunk("IHDR", [.. ihdr]),
            .. Chunk("IDAT", Deflate(rows, CompressionLevel.NoCompression)), .. Chunk("IEND", [])];
    }

    public static byte[] WebP() => Encode(96, 64, SKEncodedImageFormat.Webp);

    /// <summary>The four corners' colours of <see cref="Quadrants"/>, as stored.</summary>
    public static readonly SKColor[] QuadrantColours = [new(220, 30, 30), new(30, 200, 30), new(30, 30, 220), new(230, 220, 30)];

    /// <summary>
    /// A 40×20 JPEG in four flat blocks (top left red, top right green, bottom left blue, bottom
    /// right yellow) with an EXIF orientation tag (0x0112) of <paramref name="orientation"/>.
    /// </summary>
    public static byte[] Quadrants(int orientation)
    {
        using var bitmap = new SKBitmap(40, 20);
        using (var canvas = new SKCanvas(bitmap))
        {
            for (var i = 0; i < 4; i++)
            {
                using var paint = new SKPaint { Color = QuadrantColours[i] };
                canvas.DrawRect(i % 2 * 20, i / 2 * 10, 20, 10, paint);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 95);
        var jpeg = data.ToArray();
        byte[] tiff = [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, 0, 0, 0, 0];
        return JpegWithExif(tiff, jpeg);
    }

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

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394", Justification = "A fixed seed makes any failure reproducible; nothing here is secret.")]
    private static byte[] Noise(int width, int height, SKEncodedImageFormat format, Random? seeded = null)
    {
        // Noise compresses badly, so half the file really is half the picture.
        var noise = new byte[width * height * 3];
        if (seeded is null)
        {
            RandomNumberGenerator.Fill(noise);
        }
        else
        {
            seeded.NextBytes(noise);
        }

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
