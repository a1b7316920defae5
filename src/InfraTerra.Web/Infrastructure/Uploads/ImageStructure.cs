using System.Buffers.Binary;
using System.Text;

namespace InfraTerra.Web.Infrastructure.Uploads;

/// <summary>
/// Finds where a JPEG, PNG or WebP really ends, so that only data appended after the picture is
/// searched for another file's signature. Searching the compressed picture itself refused about
/// one photo in a hundred, as a few random bytes spell <c>&lt;svg</c> or <c>PK\x03\x04</c> by chance.
/// </summary>
public static class ImageStructure
{
    /// <summary>Padding some writers leave after the end, never worth a look.</summary>
    public const int Tolerance = 16;

    /// <summary>Cameras append further pictures and videos; each is walked, this many at most.</summary>
    private const int MaxAppended = 8;

    private static readonly byte[] ZipEnd = [0x50, 0x4B, 0x05, 0x06];

    private static readonly byte[][] BinarySignatures = [[0x50, 0x4B, 0x03, 0x04], ZipEnd, "%PDF"u8.ToArray()];

    /// <summary>Looked for in any letter case, as browsers and PHP read them; each starts with '&lt;'.</summary>
    private static readonly byte[][] TextSignatures =
        ["<script"u8.ToArray(), "<html"u8.ToArray(), "<?php"u8.ToArray(), "<svg"u8.ToArray(), "<body"u8.ToArray(), "<!doctype"u8.ToArray(), "<iframe"u8.ToArray()];

    /// <summary>Short signatures match anywhere by chance, so they count only where the appended data starts.</summary>
    private static readonly byte[][] LeadingSignatures = ["MZ"u8.ToArray(), [0x7F, (byte)'E', (byte)'L', (byte)'F'], "#!"u8.ToArray()];

    /// <summary>A ZIP's end record sits within this many bytes of the end; that is where unzip looks for it.</summary>
    private const int ZipEndReach = 22 + 65_535;

    /// <summary>True when data after the end of the picture is, or holds, another kind of file.</summary>
    public static bool HasForeignTrailer(ReadOnlySpan<byte> file, string contentType)
    {
        var end = contentType switch
        {
            "image/jpeg" => JpegEnd(file),
            "image/png" => PngEnd(file),
            "image/webp" => WebPEnd(file),
            _ => file.Length,
        };
        var pictureEnd = end;

        // Phones append a second JPEG (a depth or HDR gain map) or a motion-photo video after the
        // first; those are walked too, so a chance match inside them counts no more than one
        // inside the photo.
        for (var appended = 0; appended < MaxAppended && file.Length - end > Tolerance; appended++)
        {
            var rest = file[end..];
            var next = rest.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? JpegEndMarker(rest)
                : rest.Length >= 8 && rest[4..8].SequenceEqual("ftyp"u8) ? BoxesEnd(rest)
                : 0;
            if (next <= 0)
            {
                break;
            }

            end += next;
        }

        // Whatever the appended boxes claim to be, a ZIP at the very end opens in any unzip tool.
        var tail = file.Length > ZipEndReach ? file[^ZipEndReach..] : file;
        return (pictureEnd < file.Length && tail.LastIndexOf(ZipEnd) >= Math.Max(0, tail.Length - (file.Length - pictureEnd)))
            || (file.Length - end > Tolerance && IsForeign(file[end..]));
    }

    private static bool IsForeign(ReadOnlySpan<byte> trailer)
    {
        var start = trailer.TrimStart((ReadOnlySpan<byte>)[0, 9, 10, 13, 32]);
        foreach (var signature in LeadingSignatures)
        {
            if (start.StartsWith(signature))
            {
                return true;
            }
        }

        foreach (var signature in BinarySignatures)
        {
            if (trailer.IndexOf(signature) >= 0)
            {
                return true;
            }
        }

        // Every text signature starts with '<', which random data holds once in 256 bytes.
        for (var at = trailer.IndexOf((byte)'<'); at >= 0; at = NextAngle(trailer, at))
        {
            foreach (var signature in TextSignatures)
            {
                if (trailer.Length - at >= signature.Length && Ascii.EqualsIgnoreCase(trailer.Slice(at, signature.Length), signature))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static int NextAngle(ReadOnlySpan<byte> data, int at)
    {
        var next = data[(at + 1)..].IndexOf((byte)'<');
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>
    /// The offset just past the JPEG's end-of-image marker, following segment lengths and the
    /// entropy-coded data of every scan (progressive files have several); the file's length when
    /// it stops before the end, which the decoder then reports as damaged.
    /// </summary>
    public static int JpegEnd(ReadOnlySpan<byte> file) => JpegEndMarker(file) is > 0 and var end ? end : file.Length;

    /// <summary>The offset just past the end-of-image marker, or -1 when the structure stops before one.</summary>
    private static int JpegEndMarker(ReadOnlySpan<byte> file)
    {
        var pos = 2;
        while (pos < file.Length)
        {
            // Like libjpeg, skip stray bytes and fill bytes before a marker.
            var ff = file[pos..].IndexOf((byte)0xFF);
            if (ff < 0)
            {
                return -1;
            }

            pos += ff;
            while (pos < file.Length && file[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= file.Length)
            {
                return -1;
            }

            var marker = file[pos++];
            if (marker == 0xD9)
            {
                return pos;
            }

            if (marker is 0x00 or 0x01 or >= 0xD0 and <= 0xD8)
            {
                continue;
            }

            if (pos + 2 > file.Length)
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(file[pos..]);
            if (length < 2)
            {
                return -1;
            }

            pos = (int)Math.Min(file.Length, (long)pos + length);
            if (marker == 0xDA)
            {
                pos = ScanEnd(file, pos);
            }
        }

        return -1;
    }

    /// <summary>Where the entropy-coded data after a start-of-scan ends: at the first marker other than a stuffed zero or a restart.</summary>
    private static int ScanEnd(ReadOnlySpan<byte> file, int pos)
    {
        while (pos < file.Length)
        {
            var ff = file[pos..].IndexOf((byte)0xFF);
            if (ff < 0)
            {
                return file.Length;
            }

            pos += ff;
            if (pos + 1 >= file.Length)
            {
                return file.Length;
            }

            var next = file[pos + 1];
            if (next is 0x00 or >= 0xD0 and <= 0xD7)
            {
                pos += 2;
            }
            else if (next == 0xFF)
            {
                pos++;
            }
            else
            {
                return pos;
            }
        }

        return file.Length;
    }

    /// <summary>The offset just past the IEND chunk, following chunk lengths; the file's length when there is none.</summary>
    public static int PngEnd(ReadOnlySpan<byte> file)
    {
        long pos = 8;
        while (pos + 8 <= file.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(file[(int)pos..]);
            var type = file.Slice((int)pos + 4, 4);
            pos += 12L + length;
            if (type.SequenceEqual("IEND"u8))
            {
                return (int)Math.Min(pos, file.Length);
            }
        }

        return file.Length;
    }

    /// <summary>The end of the RIFF container, whose size field counts everything after its first 8 bytes.</summary>
    public static int WebPEnd(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
        {
            return file.Length;
        }

        var size = 8L + BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        return (int)Math.Min(size + (size % 2), file.Length);
    }

    /// <summary>The end of a run of ISO media boxes (an MP4 video), or 0 when they are not well formed.</summary>
    private static int BoxesEnd(ReadOnlySpan<byte> data)
    {
        long pos = 0;
        for (var boxes = 0; boxes < 10_000 && pos + 8 <= data.Length; boxes++)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data[(int)pos..]);
            var type = data.Slice((int)pos + 4, 4);
            if (!IsBoxType(type))
            {
                break;
            }

            if (size == 1 && pos + 16 <= data.Length)
            {
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(data[(int)(pos + 8)..]), long.MaxValue / 2);
            }
            else if (size == 0)
            {
                size = data.Length - pos;
            }

            if (size < 8)
            {
                break;
            }

            pos += size;
        }

        return (int)Math.Min(pos, data.Length);
    }

    private static bool IsBoxType(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
