using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace InfraTerra.Web.Features.Triage;

/// <summary>
/// Where a page of the queue ends: the score, the hour and the id of its last row. The next page
/// starts strictly after it in the queue's order, so rows added meanwhile never shift a page and a
/// deep page costs an index seek, not a count of the rows before it (no OFFSET). In the URL it is
/// opaque text: nobody is meant to write one by hand.
/// </summary>
public readonly record struct QueueCursor(int Score, DateTime SubmittedAtUtc, Guid Id)
{
    private const int Length = 4 + 8 + 16;

    /// <summary>Priority first, then the oldest, then the random id: arrival order within an hour is a rank a proxy log could re-identify.</summary>
    public static IOrderedQueryable<Domain.Tip> Order(IQueryable<Domain.Tip> tips) => tips
        .OrderByDescending(t => t.PriorityScore)
        .ThenBy(t => t.SubmittedAtUtc)
        .ThenBy(t => t.Id);

    public IQueryable<Domain.Tip> After(IQueryable<Domain.Tip> tips)
    {
        var score = Score;
        var at = SubmittedAtUtc;
        var id = Id;

        // "PriorityScore <= score" is implied by the rest; said on its own it lets the database start
        // the index scan at the cursor instead of at the top of the queue.
        return tips.Where(t => t.PriorityScore <= score
            && (t.PriorityScore < score
                || (t.SubmittedAtUtc > at || (t.SubmittedAtUtc == at && t.Id.CompareTo(id) > 0))));
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, Score);
        BinaryPrimitives.WriteInt64BigEndian(bytes[4..], SubmittedAtUtc.Ticks);
        Id.TryWriteBytes(bytes[12..], bigEndian: true, out _);
        return WebEncoders.Base64UrlEncode(bytes.ToArray());
    }

    public static bool TryParse(string? value, out QueueCursor cursor)
    {
        cursor = default;
        if (value is null || value.Length != 38)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(value);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length != Length)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(4));
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        cursor = new QueueCursor(
            BinaryPrimitives.ReadInt32BigEndian(bytes),
            new DateTime(ticks, DateTimeKind.Utc),
            new Guid(bytes.AsSpan(12), bigEndian: true));
        return true;
    }
}
