using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// Reads only the text fields of a public form post, streaming past its files without keeping
/// them anywhere, so that a post the <see cref="PublicFormGate"/> has no room for can still give
/// the tipster their words back. Every field and the whole text are bounded; a post beyond those
/// bounds, or not a form at all, gives <c>null</c>.
/// </summary>
public static class TextOnlyForm
{
    /// <summary>The longest text field (5,000 characters) at four bytes each, with room to spare.</summary>
    public const int MaxFieldBytes = 32 * 1024;

    public const int MaxTotalBytes = 256 * 1024;

    private const int MaxFields = 64;

    public sealed record Result(FormCollection Form, int DroppedFiles);

    public static async Task<Result?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
        {
            return null;
        }

        try
        {
            if (contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return await ReadMultipartAsync(request.Body, HeaderUtilities.RemoveQuotes(contentType.Boundary).Value, cancellationToken);
            }

            if (contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                return await ReadUrlEncodedAsync(request.Body, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            // Malformed, beyond a bound, or cut off by the sender: nothing to give back.
        }

        return null;
    }

    private static async Task<Result?> ReadMultipartAsync(Stream body, string? boundary, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            return null;
        }

        var fields = new KeyValueAccumulator();
        var total = 0;
        var droppedFiles = 0;
        var reader = new MultipartReader(boundary, body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                return null;
            }

            if (disposition.IsFileDisposition())
            {
                // Not read here: the next ReadNextSectionAsync streams past it through a small buffer.
                droppedFiles += StringSegment.IsNullOrEmpty(disposition.FileName) && StringSegment.IsNullOrEmpty(disposition.FileNameStar) ? 0 : 1;
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (!disposition.IsFormDisposition() || string.IsNullOrEmpty(name) || fields.ValueCount >= MaxFields
                || await ReadBoundedAsync(section.Body, MaxTotalBytes - total, cancellationToken) is not { } value)
            {
                return null;
            }

            total += value.Length;
            fields.Append(name, Encoding.UTF8.GetString(value));
        }

        return new Result(new FormCollection(fields.GetResults()), droppedFiles);
    }

    private static async Task<Result?> ReadUrlEncodedAsync(Stream body, CancellationToken cancellationToken)
    {
        var fields = new KeyValueAccumulator();
        var total = 0;
        using var reader = new FormReader(body, Encoding.UTF8)
        {
            ValueCountLimit = MaxFields,
            KeyLengthLimit = 256,
            ValueLengthLimit = MaxFieldBytes,
        };
        while (await reader.ReadNextPairAsync(cancellationToken) is { } pair)
        {
            total += pair.Key.Length + pair.Value.Length;
            if (total > MaxTotalBytes)
            {
                return null;
            }

            fields.Append(pair.Key, pair.Value);
        }

        return new Result(new FormCollection(fields.GetResults()), 0);
    }

    /// <summary>The field's bytes, or <c>null</c> past <see cref="MaxFieldBytes"/> or what is left of the total.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream section, int left, CancellationToken cancellationToken)
    {
        var limit = Math.Min(MaxFieldBytes, left);
        var buffer = new byte[limit + 1];
        var length = 0;
        int read;
        while ((read = await section.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
            if (length > limit)
            {
                return null;
            }
        }

        return buffer[..length];
    }
}
