using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Audit;

/// <summary>Who did something: an officer (id and e-mail), or the command line.</summary>
public sealed record AuditActor(string? Id, string Name)
{
    public static readonly AuditActor CommandLine = new(null, "command line");
}

/// <summary>An entry to append. <see cref="Detail"/> is content-free: never tip text, never a reason typed by an officer.</summary>
public sealed record AuditEntry(AuditActor Actor, string Action, Guid? TipId = null, string? Subject = null, string? Detail = null);

/// <summary>
/// The append-only, HMAC-chained audit log. <see cref="RecordAsync"/> appends an entry and saves,
/// in the same transaction, whatever the caller changed on this DbContext, so a change is never
/// stored without its record nor the record without the change. Appends are serialized on the
/// sequence: two nodes racing for one number collide on the key and the loser takes the next.
/// </summary>
public sealed class AuditLog(AppDbContext db, AuditKey key, TimeProvider clock)
{
    private const int Attempts = 20;
    private static readonly SemaphoreSlim LocalTurn = new(1, 1);

    public async Task<AuditRecord> RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        // A caller inside its own transaction already holds database locks that another appender
        // may be waiting on while it holds the turn: waiting for the turn then would deadlock both.
        var takesTurn = db.Database.CurrentTransaction is null;
        if (takesTurn)
        {
            await LocalTurn.WaitAsync(cancellationToken);
        }

        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var last = await db.AuditRecords.AsNoTracking()
                    .OrderByDescending(r => r.Sequence)
                    .Select(r => new { r.Sequence, r.Mac })
                    .FirstOrDefaultAsync(cancellationToken);
                var record = new AuditRecord
                {
                    Sequence = (last?.Sequence ?? 0) + 1,
                    AtUtc = ToMicroseconds(clock.GetUtcNow().UtcDateTime),
                    ActorId = entry.Actor.Id,
                    ActorName = Truncate(entry.Actor.Name, 256),
                    Action = entry.Action,
                    TipId = entry.TipId,
                    Subject = entry.Subject is null ? null : Truncate(entry.Subject, 450),
                    Detail = entry.Detail is null ? null : Truncate(entry.Detail, 500),
                };
                record.Mac = ComputeMac(key.Key, record, last?.Mac ?? []);
                db.AuditRecords.Add(record);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return record;
                }
                catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && attempt < Attempts)
                {
                    db.Entry(record).State = EntityState.Detached;
                    if (!await db.AuditRecords.AnyAsync(r => r.Sequence == record.Sequence, cancellationToken))
                    {
                        throw;
                    }
                }
            }
        }
        finally
        {
            if (takesTurn)
            {
                LocalTurn.Release();
            }
        }
    }

    /// <summary>
    /// Appends several entries, chained in order, with one save: a page that shows parts of many tips
    /// records one entry per tip without paying one round trip each. Same guarantees as <see cref="RecordAsync"/>.
    /// </summary>
    public async Task RecordAllAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var takesTurn = db.Database.CurrentTransaction is null;
        if (takesTurn)
        {
            await LocalTurn.WaitAsync(cancellationToken);
        }

        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var last = await db.AuditRecords.AsNoTracking()
                    .OrderByDescending(r => r.Sequence)
                    .Select(r => new { r.Sequence, r.Mac })
                    .FirstOrDefaultAsync(cancellationToken);
                var sequence = last?.Sequence ?? 0;
                var previousMac = last?.Mac ?? [];
                var at = ToMicroseconds(clock.GetUtcNow().UtcDateTime);
                var records = new List<AuditRecord>(entries.Count);
                foreach (var entry in entries)
                {
                    var record = new AuditRecord
                    {
                        Sequence = ++sequence,
                        AtUtc = at,
                        ActorId = entry.Actor.Id,
                        ActorName = Truncate(entry.Actor.Name, 256),
                        Action = entry.Action,
                        TipId = entry.TipId,
                        Subject = entry.Subject is null ? null : Truncate(entry.Subject, 450),
                        Detail = entry.Detail is null ? null : Truncate(entry.Detail, 500),
                    };
                    record.Mac = ComputeMac(key.Key, record, previousMac);
                    previousMac = record.Mac;
                    records.Add(record);
                }

                db.AuditRecords.AddRange(records);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return;
                }
                catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && attempt < Attempts)
                {
                    foreach (var record in records)
                    {
                        db.Entry(record).State = EntityState.Detached;
                    }

                    if (!await db.AuditRecords.AnyAsync(r => r.Sequence == records[0].Sequence, cancellationToken))
                    {
                        throw;
                    }
                }
            }
        }
        finally
        {
            if (takesTurn)
            {
                LocalTurn.Release();
            }
        }
    }

    /// <summary>HMAC-SHA-256 over the previous MAC and every field, each length-prefixed.</summary>
    public static byte[] ComputeMac(byte[] key, AuditRecord record, byte[] previousMac)
    {
        using var buffer = new MemoryStream();
        Write(buffer, "infraterra/audit/v1");
        Write(buffer, previousMac);
        Write(buffer, BitConverter.GetBytes(record.Sequence));
        Write(buffer, BitConverter.GetBytes(ToMicroseconds(record.AtUtc).Ticks));
        Write(buffer, record.ActorId);
        Write(buffer, record.ActorName);
        Write(buffer, record.Action);
        Write(buffer, record.TipId?.ToString("N"));
        Write(buffer, record.Subject);
        Write(buffer, record.Detail);
        return HMACSHA256.HashData(key, buffer.ToArray());
    }

    // PostgreSQL keeps microseconds; the MAC must survive the round trip on every engine.
    private static DateTime ToMicroseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private static void Write(Stream stream, string? value) =>
        Write(stream, value is null ? [0xFF] : Encoding.UTF8.GetBytes(value), isNull: value is null);

    private static void Write(Stream stream, byte[] value, bool isNull = false)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, isNull ? -1 : value.Length);
        stream.Write(length);
        stream.Write(value);
    }
}
