using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage;

/// <summary>
/// Where a page of the queue ends: the score, the hour and the id of its last row. The next page
/// starts strictly after it in the queue's order, so rows added meanwhile never shift a page and a
/// deep page costs index seeks, not a count of the rows before it (no OFFSET). In the URL it is
/// opaque text: nobody is meant to write one by hand.
/// </summary>
public readonly record struct QueueCursor(int Score, DateTime SubmittedAtUtc, Guid Id)
{
    private const int Length = 4 + 8 + 16;

    /// <summary>
    /// The keys of up to <paramref name="take"/> tips after <paramref name="after"/>, in the queue's
    /// order: priority first (highest first), then the oldest, then the random id (arrival order within
    /// an hour is a rank a proxy log could re-identify).
    /// </summary>
    /// <remarks>
    /// Walks the queue one score at a time. Within one score the order is ascending on every column, so
    /// the (score, time, id) indexes serve it as an index range; a single ORDER BY with descending
    /// score and ascending time would make the database sort every row of a score before returning
    /// the first. Queues have few distinct scores, so a page costs a few index seeks.
    /// </remarks>
    public static async Task<List<QueueCursor>> PageAsync(IQueryable<Domain.Tip> tips, QueueCursor? after, int take, CancellationToken cancellationToken)
    {
        var keys = new List<QueueCursor>(take);
        var score = after?.Score ?? await NextScoreAsync(tips, null, cancellationToken);
        while (score is { } current && keys.Count < take)
        {
            var group = tips.Where(t => t.PriorityScore == current);
            if (after is { } cursor && cursor.Score == current)
            {
                var at = cursor.SubmittedAtUtc;
                var id = cursor.Id;

                // "SubmittedAtUtc >= at" is implied by the rest; on its own it lets the database start
                // its index range at the cursor.
                group = group.Where(t => t.SubmittedAtUtc >= at && (t.SubmittedAtUtc > at || t.Id.CompareTo(id) > 0));
            }

            var rows = await group
                .OrderBy(t => t.SubmittedAtUtc)
                .ThenBy(t => t.Id)
                .Take(take - keys.Count)
                .Select(t => new { t.SubmittedAtUtc, t.Id })
                .ToListAsync(cancellationToken);
            keys.AddRange(rows.Select(r => new QueueCursor(current, r.SubmittedAtUtc, r.Id)));
            if (keys.Count < take)
            {
                score = await NextScoreAsync(tips, current, cancellationToken);
            }
        }

        return keys;
    }

    /// <summary>The highest score below <paramref name="below"/> (or the highest of all) among these tips.</summary>
    private static Task<int?> NextScoreAsync(IQueryable<Domain.Tip> tips, int? below, CancellationToken cancellationToken)
    {
        if (below is { } limit)
        {
            tips = tips.Where(t => t.PriorityScore < limit);
        }

        return tips.OrderByDescending(t => t.PriorityScore).Select(t => (int?)t.PriorityScore).FirstOrDefaultAsync(cancellationToken);
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
