using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace InfraTerra.Tests.Support;

/// <summary>
/// Real PDFs written byte by byte, the way other programs write them: a one-page document with
/// text and optionally a picture, incremental updates, object streams and cross-reference streams.
/// </summary>
public static partial class TestPdfs
{
    public const string PageText = "Sighting at the harbour";

    /// <summary>The page objects' numbers, high so that tests can add objects 1 to 89 of their own.</summary>
    public const int Catalog = 90;

    private const int Pages = 91;
    private const int Page = 92;
    private const int Contents = 93;
    private const int Font = 94;
    private const int Image = 95;

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>The objects of a one-page document, <paramref name="text"/> written on it, <paramref name="jpeg"/> drawn under it.</summary>
    public static string PageObjects(string text = PageText, byte[]? jpeg = null, string catalogExtra = "", string contentExtra = "")
    {
        var content = $"BT /F1 18 Tf 72 700 Td ({text}) Tj ET" + contentExtra + (jpeg is null ? "" : " q 200 0 0 150 72 400 cm /Im1 Do Q");
        var xobject = jpeg is null ? "" : $" /XObject << /Im1 {Image} 0 R >>";
        var objects =
            $"{Catalog} 0 obj\n<< /Type /Catalog /Pages {Pages} 0 R{catalogExtra} >>\nendobj\n" +
            $"{Pages} 0 obj\n<< /Type /Pages /Kids [{Page} 0 R] /Count 1 >>\nendobj\n" +
            $"{Page} 0 obj\n<< /Type /Page /Parent {Pages} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {Font} 0 R >>{xobject} >> /Contents {Contents} 0 R >>\nendobj\n" +
            StreamObject(Contents, "", Latin1(content)) +
            $"{Font} 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n";
        return jpeg is null
            ? objects
            : objects + StreamObject(Image, "/Type /XObject /Subtype /Image /Width 320 /Height 240 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", jpeg);
    }

    /// <summary>An object holding a stream, its bytes kept as Latin-1 characters so that the file can be assembled as text.</summary>
    public static string StreamObject(int number, string dictionary, byte[] data) =>
        $"{number} 0 obj\n<< {dictionary} /Length {data.Length} >>\nstream\n{Encoding.Latin1.GetString(data)}\nendstream\nendobj\n";

    /// <summary>
    /// <paramref name="body"/> (objects as text) with a cross-reference table found from its
    /// "N 0 obj" lines and a trailer; each further update is appended as an incremental update
    /// with its own table pointing back to the previous one, as editors save.
    /// </summary>
    public static byte[] File(string body, string trailer = "", params (string Objects, string Trailer)[] updates)
    {
        var file = new StringBuilder("%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n");
        long? previous = null;
        var size = 0;
        foreach (var (objects, extra) in updates.Prepend((body, trailer)))
        {
            var offsets = new SortedDictionary<int, long>();
            var start = file.Length;
            file.Append(objects);
            foreach (Match header in ObjectHeader().Matches(objects))
            {
                offsets[int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture)] = start + header.Index;
            }

            size = Math.Max(size, offsets.Keys.DefaultIfEmpty(0).Max() + 1);
            var xref = file.Length;
            file.Append("xref\n");
            if (previous is null)
            {
                file.Append("0 1\n0000000000 65535 f\r\n");
            }

            foreach (var (number, offset) in offsets)
            {
                file.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n\r\n");
            }

            var back = previous is { } p ? $" /Prev {p}" : "";
            file.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {size} /Root {Catalog} 0 R{back} {extra} >>\nstartxref\n{xref}\n%%EOF\n");
            previous = xref;
        }

        return Latin1(file.ToString());
    }

    /// <summary>
    /// A PDF 1.5 file: <paramref name="plain"/> objects as text, <paramref name="compressed"/>
    /// ones inside a Flate object stream (number 80), and a cross-reference stream (number 81)
    /// instead of a table, as most writers have saved since 2003.
    /// </summary>
    public static byte[] FileWithObjectStream(string plain, (int Number, string Body)[] compressed, string trailer = "")
    {
        const int objectStream = 80;
        const int xrefStream = 81;
        var index = new StringBuilder();
        var objects = new StringBuilder();
        foreach (var (number, body) in compressed)
        {
            index.Append(CultureInfo.InvariantCulture, $"{number} {objects.Length} ");
            objects.Append(body).Append('\n');
        }

        var data = Deflate(Latin1(index.ToString() + objects));
        var body0 = plain + StreamObject(objectStream, $"/Type /ObjStm /N {compressed.Length} /First {index.Length} /Filter /FlateDecode", data);

        var file = new StringBuilder("%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n");
        var start = file.Length;
        file.Append(body0);
        var entries = new Dictionary<int, (int Type, long Field2, int Field3)>();
        foreach (Match header in ObjectHeader().Matches(body0))
        {
            entries[int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture)] = (1, start + header.Index, 0);
        }

        for (var i = 0; i < compressed.Length; i++)
        {
            entries[compressed[i].Number] = (2, objectStream, i);
        }

        entries[xrefStream] = (1, file.Length, 0);
        var size = entries.Keys.Max() + 1;
        var table = new byte[size * 7];
        for (var number = 0; number < size; number++)
        {
            var (type, field2, field3) = entries.GetValueOrDefault(number, (0, 0, number == 0 ? 65535 : 0));
            var row = table.AsSpan(number * 7, 7);
            row[0] = (byte)type;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(row[1..], (uint)field2);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(row[5..], (ushort)field3);
        }

        var xref = file.Length;
        file.Append(StreamObject(xrefStream, $"/Type /XRef /Size {size} /W [1 4 2] /Root {Catalog} 0 R {trailer}", table));
        file.Append(CultureInfo.InvariantCulture, $"startxref\n{xref}\n%%EOF\n");
        return Latin1(file.ToString());
    }

    public static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>
    /// The file as text, followed by every Flate stream in it inflated: a marker compressed by
    /// the writer is still found.
    /// </summary>
    public static string AllText(byte[] pdf)
    {
        var text = new StringBuilder(Encoding.Latin1.GetString(pdf));
        var raw = text.ToString();
        foreach (Match stream in StreamData().Matches(raw))
        {
            try
            {
                using var zlib = new ZLibStream(new MemoryStream(Latin1(stream.Groups[1].Value)), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                zlib.CopyTo(plain);
                text.Append('\n').Append(Encoding.Latin1.GetString(plain.ToArray()));
            }
            catch (InvalidDataException)
            {
                // Not a Flate stream (a JPEG, plain content): already in the text as it is.
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"(?m)^(\d+) 0 obj\b")]
    private static partial Regex ObjectHeader();

    [GeneratedRegex(@"stream\r?\n(.*?)\r?\nendstream", RegexOptions.Singleline)]
    private static partial Regex StreamData();
}
