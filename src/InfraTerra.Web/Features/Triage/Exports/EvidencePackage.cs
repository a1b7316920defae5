using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Exports;

/// <summary>
/// An evidence package: a ZIP with, for each tip, its plain fields and what the tipster wrote
/// (<c>tip.json</c>), its conversation, its audit excerpt and its files as stored, plus a README and
/// a <c>manifest.sha256</c> that <c>sha256sum -c</c> checks. Everything is opened by the tip store.
/// </summary>
/// <remarks>
/// Made in two passes so that the audit record can carry the manifest's hash and still be written
/// before anything leaves: <see cref="PrepareAsync"/> builds the small documents in memory and hashes
/// each file (opened one at a time and dropped), then the caller audits, then <see cref="WriteAsync"/>
/// streams the ZIP, opening each file again and refusing to go on if it no longer matches its line of
/// the manifest. Nothing touches the disk: a temporary file would leave tip content behind. Memory
/// holds the documents (text) and one file at a time.
/// </remarks>
public sealed class EvidencePackage(AppDbContext db, TipStore store, TimeProvider clock)
{
    public const string ManifestName = "manifest.sha256";
    public const string ReadmeName = "README.txt";
    public const string VerifyCommand = "unzip -d pkg evidence.zip && cd pkg && sha256sum -c manifest.sha256";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>One file of the package: small documents carry their bytes, a tip's file is opened again when written.</summary>
    public sealed record Entry(string Path, string Sha256, byte[]? Bytes, Guid? AttachmentId);

    public sealed record Prepared(IReadOnlyList<Entry> Entries, byte[] Manifest, DateTime MadeAtUtc)
    {
        public string ManifestSha256 => Convert.ToHexStringLower(SHA256.HashData(Manifest));

        /// <summary>Files in the package besides the manifest (the README counts).</summary>
        public int FileCount => Entries.Count;

        public int AttachmentCount => Entries.Count(e => e.AttachmentId is not null);
    }

    /// <summary>
    /// Reads and hashes everything the package of these tips holds. <paramref name="clusterId"/> is
    /// set for a cluster's package, which adds <c>cluster.json</c>.
    /// </summary>
    public async Task<Prepared> PrepareAsync(IReadOnlyList<Guid> tipIds, Guid? clusterId, CurrentOfficer officer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var entries = new List<Entry>();
        var folders = new List<object>();
        foreach (var tipId in tipIds)
        {
            var folder = Folder(tipId);
            var tipEntries = await TipEntriesAsync(tipId, folder, cancellationToken);
            entries.AddRange(tipEntries);
            folders.Add(new { tip = tipId, folder, files = tipEntries.Count });
        }

        if (clusterId is { } cluster)
        {
            var noticeReference = await db.TipClusters.AsNoTracking().Where(c => c.Id == cluster)
                .Select(c => c.NoticeId == null ? null : db.Notices.Where(n => n.Id == c.NoticeId).Select(n => n.Reference).FirstOrDefault())
                .FirstOrDefaultAsync(cancellationToken);
            entries.Insert(0, Document("cluster.json", new { cluster, notice = noticeReference, tips = folders }));
        }

        entries.Insert(0, Text(ReadmeName, Readme(tipIds, clusterId, officer, now)));
        var manifest = new StringBuilder();
        foreach (var entry in entries)
        {
            // sha256sum's own format: the hash, two spaces (text mode), the path; LF line ends.
            manifest.Append(entry.Sha256).Append("  ").Append(entry.Path).Append('\n');
        }

        return new Prepared(entries, Encoding.UTF8.GetBytes(manifest.ToString()), now);
    }

    /// <summary>Streams the ZIP. Throws if a file no longer matches what the manifest says of it.</summary>
    public async Task WriteAsync(Prepared package, Stream destination, CancellationToken cancellationToken)
    {
        await using var output = new AsyncOnlyStream(destination);
        await using (var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken))
        {
            await WriteEntriesAsync(zip, output, package, cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
    }

    private async Task WriteEntriesAsync(ZipArchive zip, AsyncOnlyStream output, Prepared package, CancellationToken cancellationToken)
    {
        foreach (var entry in package.Entries)
        {
            var bytes = entry.Bytes ?? await OpenAttachmentAsync(entry.AttachmentId!.Value, cancellationToken);
            if (!string.Equals(Sha256(bytes), entry.Sha256, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"File {entry.Path} changed while its evidence package was being made.");
            }

            await AddAsync(zip, entry.Path, bytes, package.MadeAtUtc, cancellationToken);
            await output.FlushAsync(cancellationToken);
        }

        await AddAsync(zip, ManifestName, package.Manifest, package.MadeAtUtc, cancellationToken);
    }

    public static string Folder(Guid tipId) => $"tip-{tipId}";

    private static async Task AddAsync(ZipArchive zip, string path, byte[] bytes, DateTime madeAtUtc, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(madeAtUtc, TimeSpan.Zero);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
    }

    private async Task<List<Entry>> TipEntriesAsync(Guid tipId, string folder, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var tip = await db.Tips.AsNoTracking()
            .Include(t => t.Notice)
            .Include(t => t.Messages)
            .AsSplitQuery()
            .SingleAsync(t => t.Id == tipId, cancellationToken);
        var content = store.OpenContent(tip);
        var files = await db.TipAttachments.AsNoTracking().Where(a => a.TipId == tipId).OrderBy(a => a.Position)
            .Select(a => new { a.Id, a.Position, a.MessageId, a.ContentType, a.Size, a.Width, a.Height, a.AddedAtUtc })
            .ToListAsync(cancellationToken);
        var officerIds = tip.Messages.Select(m => m.OfficerId).OfType<string>().Append(tip.AssignedToId ?? "").Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => officerIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, cancellationToken);

        var entries = new List<Entry>();
        var attachments = new List<object>();
        foreach (var file in files)
        {
            var attachment = await db.TipAttachments.AsNoTracking().SingleAsync(a => a.Id == file.Id, cancellationToken);
            var bytes = store.OpenAttachment(tip, attachment);
            var path = string.Create(inv, $"{folder}/files/file-{file.Position}{Extension(file.ContentType)}");
            entries.Add(new Entry(path, Sha256(bytes), null, file.Id));
            var location = store.OpenLocation(tip, attachment);
            attachments.Add(new
            {
                position = file.Position,
                path = path[(folder.Length + 1)..],
                contentType = file.ContentType,
                size = file.Size,
                width = file.Width,
                height = file.Height,
                addedAtUtc = Hour(file.AddedAtUtc),
                sentWithMessage = tip.Messages.FirstOrDefault(m => m.Id == file.MessageId)?.Position,
                sha256 = entries[^1].Sha256,
                originalFingerprint = Convert.ToHexStringLower(store.OpenOriginalFingerprint(tip, attachment)),
                location = location is null ? null : new { latitude = location.Latitude, longitude = location.Longitude },
            });
        }

        var grade = tip.SourceGrade is { } source && tip.InformationGrade is { } information ? string.Create(inv, $"{source}{(int)information}") : null;
        entries.Insert(0, Document($"{folder}/tip.json", new
        {
            id = tip.Id,
            notice = tip.Notice is null ? null : new { reference = tip.Notice.Reference, name = tip.Notice.DisplayName, status = tip.Notice.Status },
            desk = tip.Desk,
            status = tip.Status,
            submittedAtUtc = Hour(tip.SubmittedAtUtc),
            sightingCountry = tip.SightingCountry,
            sightedOn = tip.SightedOn?.ToString("yyyy-MM-dd", inv),
            grade,
            threatToLife = tip.ThreatToLife,
            assignedTo = tip.AssignedToId is { } holder ? names.GetValueOrDefault(holder, holder) : null,
            priority = new { score = tip.PriorityScore, reasons = PriorityText.Describe(tip.PriorityReasons) },
            cluster = tip.ClusterId,
            tipster = new
            {
                description = content.Description,
                place = content.Place,
                sightingDateIsApproximate = content.SightingDateIsApproximate,
                howKnown = content.HowKnown,
                certainty = content.Certainty,

                // Who the tipster is stays with the unit: a package is handed on, contact details are not evidence.
                contactDetailsGiven = !string.IsNullOrEmpty(content.ContactDetails),
            },
            attachments,
        }));

        var messageFiles = files.Where(f => f.MessageId is not null).ToLookup(f => f.MessageId!.Value, f => f.Position);
        entries.Insert(1, Document($"{folder}/conversation.json", tip.Messages.OrderBy(m => m.Position).Select(m => new
        {
            position = m.Position,
            from = m.Author == MessageAuthor.Tipster ? "Tipster" : m.OfficerId is { } id ? names.GetValueOrDefault(id, id) : "Officer",
            author = m.Author,
            sentAtUtc = Hour(m.SentAtUtc),
            text = store.OpenMessage(tip, m),
            files = messageFiles[m.Id].ToList(),
        }).ToList()));

        var records = await db.AuditRecords.AsNoTracking().Where(r => r.TipId == tipId).OrderBy(r => r.Sequence).ToListAsync(cancellationToken);
        var before = records.Select(r => r.Sequence - 1).ToList();
        var previous = await db.AuditRecords.AsNoTracking().Where(r => before.Contains(r.Sequence))
            .ToDictionaryAsync(r => r.Sequence, r => r.Mac, cancellationToken);
        entries.Insert(2, Document($"{folder}/audit.json", records.Select(r => new
        {
            sequence = r.Sequence,
            atUtc = r.AtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", inv),
            actor = r.ActorName,
            action = r.Action,
            subject = r.Subject,
            detail = r.Detail,
            mac = Convert.ToHexStringLower(r.Mac),
            previousMac = previous.TryGetValue(r.Sequence - 1, out var mac) ? Convert.ToHexStringLower(mac) : null,
        }).ToList()));
        return entries;
    }

    private async Task<byte[]> OpenAttachmentAsync(Guid attachmentId, CancellationToken cancellationToken)
    {
        var attachment = await db.TipAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId, cancellationToken)
            ?? throw new InvalidOperationException("A file was deleted while its evidence package was being made.");
        var tip = await db.Tips.AsNoTracking().SingleAsync(t => t.Id == attachment.TipId, cancellationToken);
        return store.OpenAttachment(tip, attachment);
    }

    private static Entry Document(string path, object value)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        return new Entry(path, Sha256(bytes), bytes, null);
    }

    private static Entry Text(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new Entry(path, Sha256(bytes), bytes, null);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Hour(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:00'Z'", CultureInfo.InvariantCulture);

    private static string Extension(string contentType) => contentType switch
    {
        "application/pdf" => ".pdf",
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/webp" => ".webp",
        _ => ".bin",
    };

    private static string Readme(IReadOnlyList<Guid> tipIds, Guid? clusterId, CurrentOfficer officer, DateTime now)
    {
        var inv = CultureInfo.InvariantCulture;
        var what = clusterId is { } cluster
            ? string.Create(inv, $"cluster {cluster} ({tipIds.Count} {(tipIds.Count == 1 ? "tip" : "tips")})")
            : $"tip {tipIds[0]}";
        return string.Create(inv, $"""
            InfraTerra evidence package
            ===========================

            Made {now:yyyy-MM-dd HH:mm:ss} UTC by {officer.Email}, for {what}.

            What is in it
            -------------
            {(clusterId is null ? "" : "cluster.json                 the cluster: its id, its notice and the folder of each tip\n")}tip-<id>/tip.json            the tip: its plain fields (notice, desk, status, grade, priority,
                                         threat to life, cluster) and what the tipster wrote, decrypted
                                         (description, place, how they know, how sure). The tipster's
                                         contact details are not included. For each file: its SHA-256 as
                                         stored and "originalFingerprint", the portal's keyed fingerprint
                                         (HMAC-SHA-256) of the file exactly as the tipster sent it.
            tip-<id>/conversation.json   the messages with the tipster, in order: who and when (to the hour)
            tip-<id>/audit.json          the tip's audit records up to this package, with their sequence
                                         numbers, their MACs and the MAC of the record before each one
            tip-<id>/files/              the tip's files as stored (the cleaned copies; metadata removed)
            manifest.sha256              the SHA-256 of every other file in this package

            Times on the tipster's side are kept to the hour on purpose, to protect the tipster.
            Internal notes are not part of a package.

            How to verify
            -------------
            With the package saved as evidence.zip:

                {VerifyCommand}

            Every line must end in "OK". The portal's audit log holds the record "evidence.exported" of this
            package, whose detail gives the SHA-256 of manifest.sha256; compare it with:

                sha256sum manifest.sha256

            The audit MACs are chained HMAC-SHA-256 values under a key held by the portal: its audit-verify
            command checks them against the log.

            """);
    }
}
