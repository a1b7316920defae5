using System.Security.Cryptography;
using InfraTerra.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices.Manage;

/// <summary>
/// New notices get a reference like <c>2026-12345</c>: the year, then five random digits (10000-99999).
/// Random, not a counter, so a reference says nothing about how many notices there are; a taken one is
/// drawn again, and the unique index settles a race between two Supervisors (the page retries).
/// </summary>
public static class NoticeReferences
{
    public const int Attempts = 10;

    public static string Draw(DateTime nowUtc) => $"{nowUtc.Year:D4}-{RandomNumberGenerator.GetInt32(10000, 100000):D5}";

    public static async Task<string> NewAsync(AppDbContext db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var reference = Draw(nowUtc);
            if (attempt >= Attempts || !await db.Notices.AnyAsync(n => n.Reference == reference, cancellationToken))
            {
                return reference;
            }
        }
    }
}
