using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;
using SkiaSharp;

namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>
/// Writes a fresh PDF holding only the pages of an accepted one (ADR 0006): their content,
/// fonts and images. Nothing else of the original is copied, so its document information,
/// XMP, bookmarks, annotations, forms and earlier revisions are gone whatever their encoding,
/// and every JPEG inside is decoded and re-encoded, which drops its EXIF (GPS, camera serial).
/// </summary>
public static partial class PdfRebuilder
{
    /// <summary>Keys that carry metadata in any dictionary a page can reach (images, forms, fonts, marked content).</summary>
    private static readonly HashSet<string> DroppedKeys = new(StringComparer.Ordinal)
    {
        "/Metadata", "/PieceInfo", "/LastModified", "/Author", "/Creator", "/Producer", "/CreationDate", "/ModDate",
    };

    /// <summary>All JPEGs of one PDF together: each is also held to the photo limits.</summary>
    public const long MaxPixelsPerPdf = 200_000_000;

    /// <summary>How much page content may be inflated to look for inline pictures.</summary>
    public const long MaxInflatedContentBytes = 64 * 1024 * 1024;

    public static (byte[] Pdf, UploadProblem? Problem) Rebuild(byte[] original)
    {
        try
        {
            using var source = PdfReader.Open(new MemoryStream(original, writable: false), PdfDocumentOpenMode.Import);
            if (!PageTreeIsSound(source))
            {
                return ([], UploadProblem.Damaged);
            }

            using var fresh = new PdfDocument();
            foreach (var page in source.Pages)
            {
                // Comments carry their author's name and time, links and form fields their own
                // actions and values: the ADR says why none of them is kept.
                page.Elements.Remove("/Annots");
                fresh.AddPage(page);
            }

            var problem = Clean(fresh);
            if (problem is not null)
            {
                return ([], problem);
            }

            using var output = new MemoryStream();
            fresh.Save(output, closeStream: false);
            return (WithoutWriterMetadata(output.ToArray()), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PDFsharp throws many kinds of exception for broken or encrypted files: none of them is the tipster's to see.
            return ([], UploadProblem.Damaged);
        }
    }

    /// <summary>
    /// PDFsharp walks the page tree recursively with no guard: a node among its own kids
    /// overflows the stack, which ends the process rather than throwing. So the tree is walked
    /// here first, without recursion, and each node may be reached once only.
    /// </summary>
    private static bool PageTreeIsSound(PdfDocument source)
    {
        var visited = new HashSet<PdfDictionary>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(PdfItem? Node, int Depth)>();
        pending.Push((source.Internals.Catalog.Elements["/Pages"], 0));
        while (pending.TryPop(out var next))
        {
            if ((next.Node as PdfReference)?.Value is not PdfDictionary node || next.Depth > MaxPageTreeDepth || !visited.Add(node))
            {
                return false;
            }

            var kids = node.Elements["/Kids"] switch
            {
                PdfArray array => array,
                PdfReference { Value: PdfArray array } => array,
                _ => null,
            };
            if (node.Elements.GetName("/Type") != "/Page" && kids is not null)
            {
                foreach (var kid in kids.Elements.Items)
                {
                    pending.Push((kid, next.Depth + 1));
                }
            }
        }

        return true;
    }

    private const int MaxPageTreeDepth = 64;

    private static UploadProblem? Clean(PdfDocument document)
    {
        long pixels = 0;
        long inflated = 0;
        foreach (var item in document.Internals.GetAllObjects())
        {
            if (item is not PdfDictionary dictionary)
            {
                continue;
            }

            Sweep(dictionary);
            if (dictionary.Stream is null)
            {
                continue;
            }

            // Any stream under a JPEG filter is a picture, whatever its dictionary claims to be.
            var filters = Filters(dictionary);
            var problem = filters.Intersect(["/DCTDecode", "/JPXDecode", "?"]).Any()
                ? Reencode(dictionary, filters, ref pixels)
                : dictionary.Elements.GetName("/Subtype") == "/Form" || dictionary.Elements.ContainsKey("/PatternType")
                    ? CheckInlineImages(dictionary, filters, ref inflated)
                    : null;
            if (problem is not null)
            {
                return problem;
            }
        }

        foreach (var page in document.Pages)
        {
            foreach (var content in ContentStreams(page))
            {
                if (CheckInlineImages(content, Filters(content), ref inflated) is { } problem)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    private static IEnumerable<PdfDictionary> ContentStreams(PdfPage page) => page.Elements["/Contents"] switch
    {
        PdfReference { Value: PdfArray array } => Streams(array),
        PdfReference { Value: PdfDictionary stream } => [stream],
        PdfArray array => Streams(array),
        _ => [],
    };

    private static IEnumerable<PdfDictionary> Streams(PdfArray array) =>
        array.Elements.Items.Select(i => i is PdfReference r ? r.Value : i).OfType<PdfDictionary>();

    /// <summary>Removes metadata keys from a dictionary and the dictionaries and arrays written inside it.</summary>
    private static void Sweep(PdfItem item)
    {
        switch (item)
        {
            case PdfDictionary dictionary:
                foreach (var key in dictionary.Elements.Keys.Where(DroppedKeys.Contains).ToList())
                {
                    dictionary.Elements.Remove(key);
                }

                foreach (var value in dictionary.Elements.Values)
                {
                    if (value is PdfDictionary or PdfArray)
                    {
                        Sweep(value);
                    }
                }

                break;
            case PdfArray array:
                foreach (var value in array.Elements.Items)
                {
                    Sweep(value);
                }

                break;
        }
    }

    /// <summary>The stream's filter names, "?" for any that is not a name.</summary>
    private static List<string> Filters(PdfDictionary dictionary) => Resolve(dictionary.Elements["/Filter"]) switch
    {
        null => [],
        PdfArray array => array.Elements.Items.Select(i => Name(Resolve(i))).ToList(),
        var single => [Name(single)],
    };

    private static PdfItem? Resolve(PdfItem? item) => item is PdfReference reference ? reference.Value : item;

    private static string Name(PdfItem? item) => item switch
    {
        PdfName name => name.Value,
        PdfNameObject name => name.Value,
        _ => "?",
    };

    /// <summary>
    /// JPEG (DCT) images are decoded and encoded again. Other images hold only samples (Flate,
    /// LZW, run length, CCITT fax, JBIG2): no container, nothing to strip. JPEG 2000 can carry
    /// metadata boxes and cannot be decoded here, and a JPEG under a further filter or a filter
    /// that is not a name is not worth the risk: such a PDF is refused.
    /// </summary>
    private static UploadProblem? Reencode(PdfDictionary image, List<string> filters, ref long pixels)
    {
        if (filters is not ["/DCTDecode"])
        {
            return UploadProblem.UncleanablePdfImage;
        }

        using var data = SKData.CreateCopy(image.Stream.Value);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return UploadProblem.Damaged;
        }

        var info = codec.Info;
        pixels += (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > AttachmentInspector.MaxSide || info.Height > AttachmentInspector.MaxSide
            || (long)info.Width * info.Height > AttachmentInspector.MaxPixels || pixels > MaxPixelsPerPdf)
        {
            return UploadProblem.TooManyPixels;
        }

        // No turning upright here: PDF viewers ignore the EXIF orientation and draw the samples as stored.
        var gray = info.ColorType == SKColorType.Gray8;
        using var bitmap = new SKBitmap(new SKImageInfo(info.Width, info.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        if (codec.GetPixels(bitmap.Info, bitmap.GetPixels()) is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            return UploadProblem.Damaged;
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        if (encoded is null)
        {
            return UploadProblem.Damaged;
        }

        // The samples are now plain RGB or gray: a CMYK or ICC colour space, and the /Decode
        // array that inverts Adobe CMYK, no longer describe them.
        image.Stream.Value = encoded.ToArray();
        image.Elements.SetName("/ColorSpace", gray ? "/DeviceGray" : "/DeviceRGB");
        image.Elements.SetInteger("/BitsPerComponent", 8);
        image.Elements.Remove("/Decode");
        image.Elements.Remove("/DecodeParms");
        return null;
    }

    /// <summary>
    /// A picture written inside page, form or pattern content (between BI and EI) is copied with
    /// the content; a JPEG or JPEG 2000 one could carry EXIF, so such a PDF is refused. Content
    /// under a filter other than Flate is not looked into.
    /// </summary>
    private static UploadProblem? CheckInlineImages(PdfDictionary content, List<string> filters, ref long inflated)
    {
        byte[] bytes;
        if (filters.Count == 0)
        {
            bytes = content.Stream.Value;
        }
        else if (filters is ["/FlateDecode"] && content.Elements["/DecodeParms"] is null)
        {
            if (Inflate(content.Stream.Value, ref inflated) is not { } plain)
            {
                return UploadProblem.Damaged;
            }

            bytes = plain;
        }
        else
        {
            return null;
        }

        return bytes.AsSpan().IndexOf("ID"u8) >= 0 && InlineJpegFilter().IsMatch(Encoding.Latin1.GetString(bytes))
            ? UploadProblem.UncleanablePdfImage
            : null;
    }

    [GeneratedRegex(@"/(?:DCT|JPX)(?:Decode)?(?=[\s/\[\]<>()%{}]|$)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex InlineJpegFilter();

    private static byte[]? Inflate(byte[] compressed, ref long inflated)
    {
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                inflated += read;
                if (inflated > MaxInflatedContentBytes)
                {
                    return null;
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// PDFsharp always writes a document information dictionary and an XMP packet (its own name,
    /// ids, the time of writing): the references to them and their objects are overwritten with
    /// spaces, same length, so every cross-reference offset stays right.
    /// </summary>
    private static byte[] WithoutWriterMetadata(byte[] pdf)
    {
        var trailer = pdf.AsSpan().LastIndexOf("trailer"u8);
        var startXref = pdf.AsSpan().LastIndexOf("startxref"u8);
        if (trailer < 0 || startXref < trailer)
        {
            throw new InvalidDataException("PDFsharp wrote no trailer.");
        }

        var offsets = XrefOffsets(pdf, trailer, startXref);
        var trailerText = Encoding.Latin1.GetString(pdf, trailer, startXref - trailer);
        if (Reference("Info").Match(trailerText) is { Success: true } info)
        {
            Blank(pdf, trailer + info.Index, info.Length);
            MakeNull(pdf, offsets, info);
        }

        if (Reference("Root").Match(trailerText) is { Success: true } root && ObjectBody(pdf, offsets, root) is { } catalog
            && Reference("Metadata").Match(Encoding.Latin1.GetString(pdf, catalog.Start, catalog.Length)) is { Success: true } metadata)
        {
            Blank(pdf, catalog.Start + metadata.Index, metadata.Length);
            MakeNull(pdf, offsets, metadata);
        }

        return pdf;
    }

    private static Regex Reference(string key) => new($@"/{key}\s*(\d+)\s+(\d+)\s+R", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));

    private static void Blank(byte[] pdf, int start, int length) => pdf.AsSpan(start, length).Fill((byte)' ');

    /// <summary>The offsets of PDFsharp's one cross-reference table ("xref", "0 n", then 20-byte rows).</summary>
    private static long[] XrefOffsets(byte[] pdf, int trailer, int startXref)
    {
        var xref = int.Parse(Encoding.Latin1.GetString(pdf, startXref + 9, pdf.Length - startXref - 9).Trim().Split('\n')[0], CultureInfo.InvariantCulture);
        var lines = Encoding.Latin1.GetString(pdf, xref, trailer - xref).Split('\n');
        var count = int.Parse(lines[1].Split(' ')[1], CultureInfo.InvariantCulture);
        return [.. lines.Skip(2).Take(count).Select(row => long.Parse(row[..10], CultureInfo.InvariantCulture))];
    }

    /// <summary>Where the referenced object's value lies, between "N G obj" and "endobj".</summary>
    private static (int Start, int Length)? ObjectBody(byte[] pdf, long[] offsets, Match reference)
    {
        var number = int.Parse(reference.Groups[1].Value, CultureInfo.InvariantCulture);
        if (number <= 0 || number >= offsets.Length)
        {
            return null;
        }

        var at = (int)offsets[number];
        var header = Encoding.Latin1.GetBytes($"{number} {reference.Groups[2].Value} obj");
        if (!pdf.AsSpan(at).StartsWith(header))
        {
            return null;
        }

        var start = at + header.Length;
        var end = pdf.AsSpan(start).IndexOf("endobj"u8);
        return end < 0 ? null : (start, end);
    }

    /// <summary>The object stays where the table says, its value now <c>null</c>.</summary>
    private static void MakeNull(byte[] pdf, long[] offsets, Match reference)
    {
        if (ObjectBody(pdf, offsets, reference) is not { Length: >= 6 } body)
        {
            throw new InvalidDataException("PDFsharp wrote an object where its table does not say.");
        }

        Blank(pdf, body.Start, body.Length);
        " null "u8.CopyTo(pdf.AsSpan(body.Start));
    }
}
