using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Audit;

/// <summary>One thing wrong with the audit log, at the sequence number where it shows.</summary>
public sealed record AuditProblem(long Sequence, string Message);

/// <summary>What a walk of the audit log found.</summary>
public sealed record AuditVerification(
    long Checked,
    long? LastSequence,
    DateTime? LastAtUtc,
    byte[]? HeadMac,
    IReadOnlyList<AuditProblem> Problems,
    bool ProblemsTruncated)
{
    public bool Intact => Problems.Count == 0;

    public string HeadMacHex => HeadMac is null ? "" : Convert.ToHexStringLower(HeadMac);
}

/// <summary>
/// Walks the audit log in sequence order, recomputing each MAC from the previous record's: a
/// removed record shows as a gap, a changed one as a MAC that does not match its content, a moved
/// one as a MAC that matches its content at another position. Removing the newest records leaves
/// a shorter chain that still verifies: only a length or head MAC noted elsewhere reveals it.
/// </summary>
public sealed class AuditVerifier(AppDbContext db, AuditKey key)
{
    private const int BatchSize = 2000;
    private const int MaxProblems = 100;

    // How far a moved record is looked for, each side of where it was found.
    private const int Window = 64;

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<AuditProblem>();
        var truncated = false;
        long expected = 1;
        long checkedCount = 0;
        byte[] previousMac = [];
        AuditRecord? last = null;
        var previousWasBad = false;

        void Report(long sequence, string message)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Add(new AuditProblem(sequence, message));
            }
            else
            {
                truncated = true;
            }
        }

        while (true)
        {
            var after = last?.Sequence ?? long.MinValue;
            var batch = await db.AuditRecords.AsNoTracking()
                .Where(r => r.Sequence > after)
                .OrderBy(r => r.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var record in batch)
            {
                checkedCount++;
                if (record.Sequence < expected)
                {
                    // Only before the first record: the walk is in key order, so a number never repeats.
                    Report(record.Sequence, $"record {record.Sequence} was inserted: the log starts at 1.");
                    last = record;
                    continue;
                }

                if (record.Sequence != expected)
                {
                    Report(expected, record.Sequence == expected + 1
                        ? $"record {expected} is missing (removed); record {record.Sequence} after it cannot be checked against it."
                        : $"records {expected} to {record.Sequence - 1} are missing (removed); record {record.Sequence} after them cannot be checked against them.");
                    previousWasBad = false;
                }
                else if (!AuditLog.ComputeMac(key.Key, record, previousMac).AsSpan().SequenceEqual(record.Mac))
                {
                    var verdict = await ExplainAsync(record, previousMac, cancellationToken);
                    if (verdict is not null)
                    {
                        Report(record.Sequence, verdict);
                        previousWasBad = true;
                    }
                    else if (!previousWasBad)
                    {
                        Report(record.Sequence, $"record {record.Sequence} is intact but does not follow record {record.Sequence - 1}: a record before it was moved or replaced.");
                    }
                    else
                    {
                        // Intact, and its predecessor was reported: the same tampering, not a second one.
                        previousWasBad = false;
                    }
                }
                else
                {
                    previousWasBad = false;
                }

                // Each record is checked against the MAC stored before it, so a change is named once.
                previousMac = record.Mac;
                expected = record.Sequence + 1;
                last = record;
            }
        }

        return new AuditVerification(checkedCount, last?.Sequence, last?.AtUtc, last?.Mac, problems, truncated);
    }

    /// <summary>Null when the record's own MAC is sound but chained to a MAC found elsewhere nearby.</summary>
    private async Task<string?> ExplainAsync(AuditRecord record, byte[] previousMac, CancellationToken cancellationToken)
    {
        var from = record.Sequence - Window - 1;
        var to = record.Sequence + Window;
        var nearby = await db.AuditRecords.AsNoTracking()
            .Where(r => r.Sequence >= from && r.Sequence <= to)
            .Select(r => new { r.Sequence, r.Mac })
            .ToDictionaryAsync(r => r.Sequence, r => r.Mac, cancellationToken);

        for (var position = Math.Max(1, record.Sequence - Window); position <= to; position++)
        {
            if (position == record.Sequence)
            {
                continue;
            }

            var atPosition = Copy(record, position);
            byte[] before = position == 1 ? [] : nearby.GetValueOrDefault(position - 1, []);
            if (Matches(atPosition, before) || Matches(atPosition, previousMac))
            {
                return $"record {record.Sequence} was moved: it holds the record written as number {position}.";
            }
        }

        // Rarer: a neighbour swapped with it took the MAC it was chained to along with it.
        for (var position = Math.Max(1, record.Sequence - Window); position <= to; position++)
        {
            if (position != record.Sequence && nearby.Values.Any(mac => Matches(Copy(record, position), mac)))
            {
                return $"record {record.Sequence} was moved: it holds the record written as number {position}.";
            }
        }

        foreach (var (sequence, mac) in nearby)
        {
            if (sequence != record.Sequence - 1 && Matches(record, mac))
            {
                return null;
            }
        }

        return $"record {record.Sequence} was changed: its MAC does not match its content.";
    }

    private bool Matches(AuditRecord record, byte[] previousMac) =>
        AuditLog.ComputeMac(key.Key, record, previousMac).AsSpan().SequenceEqual(record.Mac);

    private static AuditRecord Copy(AuditRecord record, long sequence) => new()
    {
        Sequence = sequence,
        AtUtc = record.AtUtc,
        ActorId = record.ActorId,
        ActorName = record.ActorName,
        Action = record.Action,
        TipId = record.TipId,
        Subject = record.Subject,
        Detail = record.Detail,
        Mac = record.Mac,
    };
}

/// <summary>
/// The last verification this node ran (from the Supervisor's audit page), so that the page shows
/// it without walking the whole log on every load.
/// </summary>
public sealed class AuditVerificationStatus
{
    private (AuditVerification Result, DateTimeOffset At, string By)? _last;

    public (AuditVerification Result, DateTimeOffset At, string By)? Last => _last;

    public void Record(AuditVerification result, DateTimeOffset at, string by) => _last = (result, at, by);
}
