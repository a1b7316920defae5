using System.IO.Compression;
using System.Text;

namespace InfraTerra.Web.Infrastructure.Uploads;

public enum PdfVerdict
{
    Clean,
    ActiveContent,
    Damaged,
}

/// <summary>
/// A small, defensive PDF token scan: reads names as whole tokens (with <c>#xx</c> escapes
/// decoded), skips comments, strings and stream data, and looks inside Flate object streams.
/// Matching bytes anywhere in the file refused a third of real PDFs, because compressed stream
/// data matches <c>/JS</c> by chance, and missed <c>/J#61vaScript</c>. It only judges: what it
/// accepts is then rebuilt (<see cref="PdfRebuilder"/>). Never throws; every loop moves forward
/// through a bounded input.
/// </summary>
public sealed class PdfScanner
{
    /// <summary>Names that make a PDF do something when opened, carry other files, or reach out.</summary>
    private static readonly HashSet<string> Dangerous = new(StringComparer.Ordinal)
    {
        "JavaScript", "JS", "Launch", "EmbeddedFile",

        // A file specification's embedded-file key and the document's list of them: the stream
        // itself need not say /Type /EmbeddedFile.
        "EF", "EmbeddedFiles", "FileAttachment",

        // Flash and other rich media, and the script a 3D annotation runs when it loads.
        "RichMedia", "OnInstantiate",

        // XML forms carry their own scripting.
        "XFA",

        // Send form data to a server, read data from a file, open another (possibly remote, e.g.
        // an SMB share that leaks the reader's credentials) or embedded document.
        "SubmitForm", "ImportData", "GoToR", "GoToE",
    };

    public const long MaxInflatedBytes = 20 * 1024 * 1024;

    private const int MaxNameBytes = 32;

    private long _inflated;

    public static PdfVerdict Scan(byte[] file) => new PdfScanner().ScanSpan(file, offset: 0, nesting: 0);

    private enum Kind
    {
        None,
        Name,
        Integer,
        Keyword,
        String,
        DictOpen,
        DictClose,
        Other,
    }

    private readonly record struct Token(Kind Kind, string? Text = null, long Number = 0, int Start = 0, int End = 0);

    /// <summary>What the dictionary before a <c>stream</c> keyword says about the data.</summary>
    private sealed class StreamDict
    {
        public long? Length;
        public bool ObjectStream;
        public List<string> Filters = [];
        public bool FilterUnknown;
        public bool DecodeParms;
    }

    private enum Expect
    {
        Nothing,
        Length,
        LengthGeneration,
        LengthR,
        Type,
        Filter,
        FilterArray,
    }

    /// <summary>
    /// Arrays and dictionaries inside one object, this deep at most: PDFsharp parses them
    /// recursively, and a few hundred kilobytes of "[" overflow its stack, ending the process.
    /// </summary>
    private const int MaxContainerDepth = 100;

    /// <summary>Hidden objects inside stream data are scanned as a PDF of their own, this deep at most.</summary>
    private const int MaxNesting = 4;

    /// <summary>
    /// Scans <paramref name="data"/>, which starts <paramref name="offset"/> bytes into the file,
    /// or is an inflated object stream when <paramref name="offset"/> is negative.
    /// </summary>
    private PdfVerdict ScanSpan(ReadOnlySpan<byte> data, int offset, int nesting)
    {
        if (nesting > MaxNesting)
        {
            return PdfVerdict.Damaged;
        }

        var topLevel = offset >= 0;
        var pos = 0;
        var depth = 0;
        var containers = 0;
        var dict = new StreamDict();
        var expect = Expect.Nothing;
        long pendingLength = 0;

        while (pos < data.Length)
        {
            var b = data[pos];
            if (IsWhitespace(b))
            {
                pos++;
                continue;
            }

            if (b == '%')
            {
                while (pos < data.Length && data[pos] != '\n' && data[pos] != '\r')
                {
                    pos++;
                }

                continue;
            }

            Token token;
            if (b == '(')
            {
                var end = LiteralStringEnd(data, pos);
                if (end < 0)
                {
                    return PdfVerdict.Damaged;
                }

                token = new Token(Kind.String, Start: pos + 1, End: end);
                pos = end + 1;
            }
            else if (b == '<' && pos + 1 < data.Length && data[pos + 1] == '<')
            {
                token = new Token(Kind.DictOpen);
                pos += 2;
            }
            else if (b == '>' && pos + 1 < data.Length && data[pos + 1] == '>')
            {
                token = new Token(Kind.DictClose);
                pos += 2;
            }
            else if (b == '<')
            {
                var end = data[(pos + 1)..].IndexOf((byte)'>');
                if (end < 0)
                {
                    return PdfVerdict.Damaged;
                }

                token = new Token(Kind.String, Start: pos + 1, End: pos + 1 + end);
                pos += end + 2;
            }
            else if (b == '/')
            {
                var end = pos + 1;
                while (end < data.Length && !IsWhitespace(data[end]) && !IsDelimiter(data[end]))
                {
                    end++;
                }

                token = new Token(Kind.Name, DecodeName(data[(pos + 1)..end]));
                pos = end;
            }
            else if (IsDelimiter(b))
            {
                token = new Token(Kind.Other, ((char)b).ToString());
                pos++;
            }
            else
            {
                var end = pos + 1;
                while (end < data.Length && !IsWhitespace(data[end]) && !IsDelimiter(data[end]))
                {
                    end++;
                }

                var word = data[pos..end];
                token = IsInteger(word, out var number)
                    ? new Token(Kind.Integer, Number: number)
                    : new Token(Kind.Keyword, word.Length <= MaxNameBytes ? Encoding.Latin1.GetString(word) : null);
                pos = end;
            }

            containers = token switch
            {
                { Kind: Kind.DictOpen } or { Kind: Kind.Other, Text: "[" } => containers + 1,
                { Kind: Kind.DictClose } or { Kind: Kind.Other, Text: "]" } => Math.Max(0, containers - 1),
                { Kind: Kind.Keyword, Text: "obj" } => 0,
                _ => containers,
            };
            if (containers > MaxContainerDepth)
            {
                return PdfVerdict.Damaged;
            }

            if (token.Kind == Kind.Name && token.Text is { } name && Dangerous.Contains(name))
            {
                return PdfVerdict.ActiveContent;
            }

            // The stream dictionary's keys sit directly in the object's outermost dictionary.
            switch (expect)
            {
                case Expect.Length when token.Kind == Kind.Integer:
                    pendingLength = token.Number;
                    expect = Expect.LengthGeneration;
                    break;
                case Expect.LengthGeneration when token.Kind == Kind.Integer:
                    expect = Expect.LengthR;
                    break;
                case Expect.LengthGeneration:
                    dict.Length = pendingLength;
                    expect = Expect.Nothing;
                    break;
                case Expect.LengthR:
                    // "/Length 5 0 R" is indirect: the end is found by searching instead.
                    dict.Length = token is { Kind: Kind.Keyword, Text: "R" } ? null : pendingLength;
                    expect = Expect.Nothing;
                    break;
                case Expect.Type:
                    dict.ObjectStream |= token is { Kind: Kind.Name, Text: "ObjStm" };
                    expect = Expect.Nothing;
                    break;
                case Expect.Filter when token.Kind == Kind.Name:
                    dict.Filters.Add(token.Text ?? "");
                    expect = Expect.Nothing;
                    break;
                case Expect.Filter when token is { Kind: Kind.Other, Text: "[" }:
                    expect = Expect.FilterArray;
                    break;
                case Expect.FilterArray when token.Kind == Kind.Name:
                    dict.Filters.Add(token.Text ?? "");
                    break;
                case Expect.FilterArray when token is { Kind: Kind.Other, Text: "]" }:
                    expect = Expect.Nothing;
                    break;
                case Expect.Filter or Expect.FilterArray:
                    dict.FilterUnknown = true;
                    expect = Expect.Nothing;
                    break;
                default:
                    expect = Expect.Nothing;
                    break;
            }

            if (token.Kind == Kind.Name && depth == 1 && expect == Expect.Nothing)
            {
                switch (token.Text)
                {
                    case "Length":
                        expect = Expect.Length;
                        break;
                    case "Type":
                        expect = Expect.Type;
                        break;
                    case "Filter":
                        expect = Expect.Filter;
                        break;
                    case "DecodeParms":
                        dict.DecodeParms = true;
                        break;
                    case "First":
                        // Only object streams have /First in a stream dictionary; a reader finds
                        // them through the cross-reference stream whatever their /Type says.
                        dict.ObjectStream = true;
                        break;
                }
            }

            switch (token.Kind)
            {
                case Kind.DictOpen:
                    depth++;
                    break;
                case Kind.DictClose:
                    depth = Math.Max(0, depth - 1);
                    break;
                case Kind.Keyword when token.Text == "obj":
                    depth = 0;
                    dict = new StreamDict();
                    expect = Expect.Nothing;
                    break;
                case Kind.Keyword when token.Text == "stream":
                    if (!topLevel)
                    {
                        // Object streams hold no streams; something is wrong with this one.
                        return PdfVerdict.Damaged;
                    }

                    var verdict = SkipStream(data, ref pos, dict, offset, nesting);
                    if (verdict != PdfVerdict.Clean)
                    {
                        return verdict;
                    }

                    dict = new StreamDict();
                    expect = Expect.Nothing;
                    depth = 0;
                    break;
            }
        }

        return PdfVerdict.Clean;
    }

    /// <summary>
    /// Moves <paramref name="pos"/> past the stream's data and its <c>endstream</c>. The data is
    /// not tokenised (compressed bytes match anything by chance) unless it is an object stream,
    /// which is inflated and scanned, or it hides object headers, which a reader could reach
    /// through the cross-reference table.
    /// </summary>
    private PdfVerdict SkipStream(ReadOnlySpan<byte> data, ref int pos, StreamDict dict, int offset, int nesting)
    {
        if (pos < data.Length && data[pos] == '\r')
        {
            pos++;
        }

        if (pos < data.Length && data[pos] == '\n')
        {
            pos++;
        }

        var start = pos;
        var firstEnd = data[start..].IndexOf("endstream"u8);
        if (firstEnd < 0)
        {
            return PdfVerdict.Damaged;
        }

        firstEnd += start;

        // The /Length is trusted only when it ends exactly at the first "endstream": skipping
        // further would skip whatever an attacker put between two "endstream" keywords.
        var end = TrimEndOfLine(data, start, firstEnd);
        if (dict.Length is { } length && start + length <= firstEnd && start + length >= end)
        {
            end = (int)(start + length);
        }

        var content = data[start..end];
        pos = firstEnd + "endstream".Length;

        if (dict.ObjectStream)
        {
            return ScanObjectStream(content, dict, nesting);
        }

        return HidesObjectHeader(content) ? ScanSpan(content, offset + start, nesting + 1) : PdfVerdict.Clean;
    }

    private PdfVerdict ScanObjectStream(ReadOnlySpan<byte> content, StreamDict dict, int nesting)
    {
        // What cannot be inspected cannot be vouched for: an object stream under any other
        // filter, a predictor or a filter chain is refused as damaged rather than let through.
        if (dict.FilterUnknown || dict.DecodeParms || dict.Filters.Count > 1
            || (dict.Filters.Count == 1 && dict.Filters[0] != "FlateDecode"))
        {
            return PdfVerdict.Damaged;
        }

        if (dict.Filters.Count == 0)
        {
            return ScanSpan(content, offset: -1, nesting + 1);
        }

        var objects = Inflate(content);
        return objects is null ? PdfVerdict.Damaged : ScanSpan(objects, offset: -1, nesting + 1);
    }

    /// <summary>Inflates within what is left of <see cref="MaxInflatedBytes"/>; null when broken or too large.</summary>
    private byte[]? Inflate(ReadOnlySpan<byte> compressed)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray());
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                _inflated += read;
                if (_inflated > MaxInflatedBytes)
                {
                    return null;
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // ZLibException, for data zlib itself rejects, is an IOException.
            return null;
        }
    }

    /// <summary>"12 0 obj" inside stream data: never there by chance, but there if objects are hidden in a stream.</summary>
    internal static bool HidesObjectHeader(ReadOnlySpan<byte> content)
    {
        var from = 0;
        while (from < content.Length)
        {
            var at = content[from..].IndexOf("obj"u8);
            if (at < 0)
            {
                return false;
            }

            at += from;
            from = at + 3;
            if (from < content.Length && !IsWhitespace(content[from]) && !IsDelimiter(content[from]))
            {
                continue;
            }

            var i = at;
            if (SkipBack(content, ref i, IsWhitespace) && SkipBack(content, ref i, char.IsAsciiDigit)
                && SkipBack(content, ref i, IsWhitespace) && SkipBack(content, ref i, char.IsAsciiDigit)
                && (i == 0 || IsWhitespace(content[i - 1]) || IsDelimiter(content[i - 1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Moves <paramref name="i"/> back over at least one byte matching <paramref name="match"/>.</summary>
    private static bool SkipBack(ReadOnlySpan<byte> content, ref int i, Func<char, bool> match)
    {
        var before = i;
        while (i > 0 && match((char)content[i - 1]))
        {
            i--;
        }

        return i < before;
    }

    private static bool IsWhitespace(char c) => c <= 0xFF && IsWhitespace((byte)c);

    private static int TrimEndOfLine(ReadOnlySpan<byte> data, int start, int end)
    {
        if (end > start && data[end - 1] == '\n')
        {
            end--;
        }

        if (end > start && data[end - 1] == '\r')
        {
            end--;
        }

        return end;
    }

    /// <summary>The index of the <c>)</c> closing the string opened at <paramref name="open"/>, or -1.</summary>
    private static int LiteralStringEnd(ReadOnlySpan<byte> data, int open)
    {
        var nesting = 0;
        for (var i = open; i < data.Length; i++)
        {
            switch (data[i])
            {
                case (byte)'\\':
                    i++;
                    break;
                case (byte)'(':
                    nesting++;
                    break;
                case (byte)')':
                    if (--nesting == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    /// <summary>The name with <c>#xx</c> escapes decoded, or null when too long to be one we look for.</summary>
    private static string? DecodeName(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxNameBytes * 3)
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '#' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                decoded[length++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
            }
            else
            {
                decoded[length++] = raw[i];
            }
        }

        return length <= MaxNameBytes ? Encoding.Latin1.GetString(decoded[..length]) : null;
    }

    private static bool IsInteger(ReadOnlySpan<byte> word, out long value)
    {
        value = 0;
        var digits = word.Length > 0 && (word[0] == '+' || word[0] == '-') ? word[1..] : word;
        if (digits.Length is 0 or > 12)
        {
            return false;
        }

        foreach (var d in digits)
        {
            if (!char.IsAsciiDigit((char)d))
            {
                return false;
            }

            value = (value * 10) + (d - '0');
        }

        value = word[0] == '-' ? -value : value;
        return true;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    private static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']'
        or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';
}
