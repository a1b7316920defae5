using System.Globalization;
using System.Text;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Triage;
using InfraTerra.Web.Features.Triage.Notifications;
using InfraTerra.Web.Infrastructure.Audit;
using InfraTerra.Web.Infrastructure.Crypto;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Tips;

/// <summary>
/// The one place that writes and reads tips: what is sealed, under which binding, what is hashed,
/// which times are coarse and in what order a conversation goes. Pages ask it; they never touch
/// the sealer, the receipt hash or the form key themselves. The officer side adds its reading,
/// notes and status changes here.
/// </summary>
public sealed class TipStore(AppDbContext db, TipSealer sealer, ReceiptCodes receipts, AuditLog auditLog, TipWriter writer, TimeProvider clock, OfficerNotifier notifier)
{
    public const string MessagePurpose = "message";
    public const string AttachmentPurpose = "attachment";
    public const string AttachmentHashPurpose = "attachment-hash";
    public const string LocationPurpose = "location";
    public const string NotePurpose = "note";

    /// <summary>
    /// What a new tip holds besides its files: the queue's plain columns and the sealed content. The
    /// notice is the form's copy (<see cref="TipNotices"/>), which carries the desk of its first warrant.
    /// </summary>
    public sealed record NewTip(TipNotice? Notice, string? SightingCountry, DateOnly? SightedOn, TipContent Content)
    {
        /// <summary>The tipster ticked "someone is in danger now": the tip tops the queue until an officer decides.</summary>
        public bool SomeoneInDanger { get; init; }
    }

    /// <summary>A receipt as typed: <see cref="WellFormed"/> false when it cannot be a code at all.</summary>
    public sealed record ReceiptMatch(bool WellFormed, Guid? TipId);

    public sealed record OpenedMessage(Guid Id, MessageAuthor Author, int Position, DateTime SentAtUtc, string Text, int FileCount);

    /// <summary>The tip (with its notice) and its messages, opened, in conversation order.</summary>
    public sealed record OpenedConversation(Tip Tip, IReadOnlyList<OpenedMessage> Messages);

    /// <summary>A file as an officer sees it listed: what it is, where it came from, and its chain-of-custody fingerprint.</summary>
    public sealed record OpenedAttachment(
        Guid Id, int Position, Guid? MessageId, string ContentType, long Size, int? Width, int? Height, DateTime AddedAtUtc,
        string OriginalFingerprint, PhotoLocation? Location);

    /// <summary>A message as an officer sees it: an officer's message names its author.</summary>
    public sealed record OfficerMessage(Guid Id, MessageAuthor Author, int Position, DateTime SentAtUtc, string Text, string? OfficerName);

    public sealed record OpenedNote(Guid Id, TipNoteKind Kind, string AuthorName, DateTime CreatedAtUtc, string Text);

    public sealed record NoticePhotoLink(int Id, string AltText);

    /// <summary>
    /// Everything about one tip for the officer's view, opened. <see cref="AnswerWasUnread"/> says
    /// whether the tipster's latest answer was new to the officers when this view was taken.
    /// </summary>
    public sealed record OfficerView(
        Tip Tip, TipContent Content, bool AnswerWasUnread, IReadOnlyList<NoticePhotoLink> NoticePhotos,
        IReadOnlyList<OfficerMessage> Messages, IReadOnlyList<OpenedAttachment> Attachments, IReadOnlyList<OpenedNote> Notes);

    public enum ReplyCheck
    {
        /// <summary>The tip is no longer there.</summary>
        TipGone,

        /// <summary>A double click or a resent page: the same words and files as the last message, which is the tipster's.</summary>
        Repeat,
        New,
    }

    /// <summary>The idempotency key a new form carries; only its hash is stored (<see cref="FormKeys"/>).</summary>
    public static string NewFormKey() => FormKeys.NewKey();

    public static bool IsWellFormedFormKey(string? key) => FormKeys.IsWellFormed(key);

    /// <summary>
    /// Stores a new tip with its files and returns the receipt to show. If the same form was stored
    /// meanwhile (a concurrent double submit), returns that tip's receipt instead.
    /// </summary>
    public async Task<string> CreateAsync(NewTip draft, string formKey, IReadOnlyList<AttachmentIntake.CleanFile> files, CancellationToken cancellationToken)
    {
        var receipt = ReceiptCodes.NewCode();
        var id = Guid.NewGuid();
        var sealedTip = sealer.Seal(id, draft.Content);
        var now = clock.GetUtcNow().UtcDateTime;
        var signals = TipsterSignalRules.Of(draft.Content, draft.SightedOn, files.Select(f => f.Inspection.ContentType));
        var threat = draft.SomeoneInDanger ? ThreatToLife.ReportedByTipster : ThreatToLife.None;
        var priority = TipPriority.Of(
            new PriorityInputs(threat, draft.Notice?.Status, !string.IsNullOrEmpty(draft.Notice?.Caution), draft.SightedOn, signals, null, null, 0, false),
            DateOnly.FromDateTime(now));
        var tip = new Tip
        {
            Id = id,
            NoticeId = draft.Notice?.Id,
            Desk = draft.Notice?.Desk ?? Tip.GeneralDesk,
            SightingCountry = draft.SightingCountry,
            SightedOn = draft.SightedOn,
            Status = TipStatus.New,
            ThreatToLife = threat,
            TipsterSignals = signals,
            PriorityScore = priority.Score,
            PriorityReasons = priority.Reasons,
            SubmittedAtUtc = TipsterTime.Coarse(now),
            StatusChangedAtUtc = TipsterTime.Coarse(now),
            SealedContent = sealedTip.Content,
            WrappedDataKey = sealedTip.WrappedDataKey,
            MasterKeyId = sealedTip.MasterKeyId,
            ReceiptLookupHash = receipts.LookupHash(ReceiptCodes.Canonical(receipt)!),
            IdempotencyKeyHash = FormKeys.Hash(formKey),
            ReplayReceipt = FormKeys.SealReceipt(formKey, id, receipt),
        };
        tip.Attachments.AddRange(SealFiles(tip, files, firstPosition: 1, messageId: null, tip.SubmittedAtUtc));
        try
        {
            if (tip.ThreatToLife == ThreatToLife.None)
            {
                await writer.WriteAsync([tip], cancellationToken);
            }
            else
            {
                // Rare, and its officers' notifications must commit with it: written alone, not batched.
                db.Tips.Add(tip);
                await notifier.TipArrivedAsync(tip, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }

            return receipt;
        }
        catch (DbUpdateException)
        {
            // Lost a race with a concurrent submit of the same form: the unique index kept one tip.
            ForgetUnsaved();
            if (await FindReceiptByFormKeyAsync(formKey, cancellationToken) is { } winner)
            {
                return winner;
            }

            throw;
        }
    }

    /// <summary>The receipt of the tip this form already made (a double click, a retry), or null.</summary>
    public async Task<string?> FindReceiptByFormKeyAsync(string formKey, CancellationToken cancellationToken)
    {
        var hash = FormKeys.Hash(formKey);
        var stored = await db.Tips.AsNoTracking()
            .Where(tip => tip.IdempotencyKeyHash == hash)
            .Select(tip => new { tip.Id, tip.ReplayReceipt })
            .SingleOrDefaultAsync(cancellationToken);
        return stored is null ? null : FormKeys.OpenReceipt(formKey, stored.Id, stored.ReplayReceipt);
    }

    /// <summary>Finds a tip by its receipt, typed loosely (lower case, spaces, O for 0).</summary>
    public async Task<ReceiptMatch> FindByReceiptAsync(string? typed, CancellationToken cancellationToken)
    {
        if (ReceiptCodes.Canonical(typed) is not { } canonical)
        {
            return new ReceiptMatch(false, null);
        }

        var hash = receipts.LookupHash(canonical);
        var id = await db.Tips.Where(tip => tip.ReceiptLookupHash == hash).Select(tip => (Guid?)tip.Id).SingleOrDefaultAsync(cancellationToken);
        return new ReceiptMatch(true, id);
    }

    public TipContent OpenContent(Tip tip) => sealer.Open(tip);

    public async Task<OpenedConversation> OpenConversationAsync(Guid tipId, CancellationToken cancellationToken)
    {
        var tip = await db.Tips.AsNoTracking()
            .Include(x => x.Notice)
            .Include(x => x.Messages)
            .SingleAsync(x => x.Id == tipId, cancellationToken);
        var fileCounts = await db.TipAttachments.Where(a => a.TipId == tipId && a.MessageId != null)
            .GroupBy(a => a.MessageId!.Value)
            .Select(g => new { MessageId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.MessageId, g => g.Count, cancellationToken);
        return new OpenedConversation(tip, [.. tip.Messages
            .OrderBy(m => m.Position)
            .Select(m => new OpenedMessage(m.Id, m.Author, m.Position, m.SentAtUtc, OpenMessage(tip, m), fileCounts.GetValueOrDefault(m.Id)))]);
    }

    /// <summary>
    /// A tipster's reply is a repeat when the message at the last position is theirs, was sent in
    /// this hour or the one before (times are kept to the hour), and has the same words and files.
    /// The same words after an investigator's new question ("Yes", "Yes") are a new answer.
    /// </summary>
    public async Task<ReplyCheck> CheckReplyAsync(Guid tipId, string text, IReadOnlyList<AttachmentIntake.CleanFile> files, CancellationToken cancellationToken)
    {
        var tip = await db.Tips.AsNoTracking().SingleOrDefaultAsync(x => x.Id == tipId, cancellationToken);
        if (tip is null)
        {
            return ReplyCheck.TipGone;
        }

        var last = await db.TipMessages.AsNoTracking()
            .Where(m => m.TipId == tipId)
            .OrderByDescending(m => m.Position)
            .FirstOrDefaultAsync(cancellationToken);
        var thisHour = TipsterTime.Coarse(clock.GetUtcNow().UtcDateTime);
        if (last is not { Author: MessageAuthor.Tipster } || thisHour - last.SentAtUtc > TipsterTime.Grain || OpenMessage(tip, last) != text)
        {
            return ReplyCheck.New;
        }

        return await HasTheseFilesAsync(tip, last, files, cancellationToken) ? ReplyCheck.Repeat : ReplyCheck.New;
    }

    /// <summary>
    /// Adds a message at the next position, sealed and bound to its author and position, with the
    /// files sent along; an officer's message is audited (<paramref name="audit"/>) in the same
    /// transaction. Every message gets a time to the hour, an officer's too: exact times on
    /// both sides of a tipster's answer would pin it down to the minute (ADR 0005). A tipster's
    /// message marks the tip's answer unread; an officer's marks it read. Appends to one tip take
    /// the tip's row first, so they go one at a time: a reply double-clicked on a slow link finds
    /// its first copy (and is stored once) instead of taking the next position.
    /// </summary>
    public async Task<TipMessage> AppendMessageAsync(
        Guid tipId, MessageAuthor author, string text, IReadOnlyList<AttachmentIntake.CleanFile> files, CancellationToken cancellationToken,
        AuditEntry? audit = null)
    {
        var tip = await db.Tips.AsNoTracking().SingleAsync(x => x.Id == tipId, cancellationToken);
        var sentAt = TipsterTime.Coarse(clock.GetUtcNow().UtcDateTime);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            ForgetUnsaved();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            if (author == MessageAuthor.Tipster)
            {
                await db.Tips.Where(t => t.Id == tipId).ExecuteUpdateAsync(set => set.SetProperty(t => t.AnswerUnread, true), cancellationToken);
            }
            else
            {
                // Writing to the tipster is feedback and acknowledges the tip: both deadline clocks stop (exact, officer side).
                await db.Tips.Where(t => t.Id == tipId).ExecuteUpdateAsync(
                    set => set.SetProperty(t => t.AnswerUnread, false)
                        .SetProperty(t => t.FeedbackGivenAtUtc, t => t.FeedbackGivenAtUtc ?? now)
                        .SetProperty(t => t.FirstActionAtUtc, t => t.FirstActionAtUtc ?? now),
                    cancellationToken);
            }

            await TipScores.RecomputeAsync(db, db.Tips.Where(t => t.Id == tipId), now, cancellationToken);
            if (author == MessageAuthor.Tipster && await CheckReplyAsync(tipId, text, files, cancellationToken) == ReplyCheck.Repeat)
            {
                var first = await db.TipMessages.AsNoTracking().Where(m => m.TipId == tipId)
                    .OrderByDescending(m => m.Position).FirstAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return first;
            }

            var message = new TipMessage
            {
                Id = Guid.NewGuid(),
                TipId = tipId,
                Author = author,
                OfficerId = author == MessageAuthor.Officer ? audit?.Actor.Id : null,
                Position = await NextMessagePositionAsync(tipId, cancellationToken),
                SentAtUtc = sentAt,
            };
            message.SealedBody = sealer.Seal(tip, MessageBinding(message), Encoding.UTF8.GetBytes(text));
            db.TipMessages.Add(message);
            await notifier.MessageAddedAsync(tip, message, cancellationToken);
            db.TipAttachments.AddRange(SealFiles(tip, files, await NextFilePositionAsync(tipId, cancellationToken), message.Id, sentAt));
            if (audit is null)
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                await auditLog.RecordAsync(audit, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return message;
        });
    }

    public string OpenMessage(Tip tip, TipMessage message) =>
        Encoding.UTF8.GetString(sealer.Open(tip, MessageBinding(message), message.SealedBody));

    /// <summary>The cleaned file as stored.</summary>
    public byte[] OpenAttachment(Tip tip, TipAttachment attachment) =>
        sealer.Open(tip, AttachmentBinding(attachment, AttachmentPurpose), attachment.SealedContent);

    /// <summary>HMAC-SHA-256 of the original as sent (<see cref="OriginalFileHash"/>): compare with the fingerprint of a file to prove it is the one received.</summary>
    public byte[] OpenOriginalFingerprint(Tip tip, TipAttachment attachment) =>
        sealer.Open(tip, AttachmentBinding(attachment, AttachmentHashPurpose), attachment.SealedOriginalHash);

    /// <summary>For investigators: where the photo was taken, when the tipster chose to keep it.</summary>
    public PhotoLocation? OpenLocation(Tip tip, TipAttachment attachment) =>
        attachment.SealedLocation is { } sealedLocation
            ? PhotoLocation.FromBytes(sealer.Open(tip, AttachmentBinding(attachment, LocationPurpose), sealedLocation))
            : null;

    /// <summary>
    /// Opens one tip for an officer: the view is audited and, for an officer who may act on the tip
    /// (<paramref name="marksAnswerRead"/>), the unread answer is marked read in the same
    /// transaction. The read happens after, so an answer arriving meanwhile is either shown or stays unread.
    /// </summary>
    public async Task<OfficerView?> OpenForOfficerAsync(Guid tipId, AuditActor officer, bool marksAnswerRead, CancellationToken cancellationToken)
    {
        var wasUnread = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            ForgetUnsaved();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var cleared = marksAnswerRead
                && await db.Tips.Where(t => t.Id == tipId && t.AnswerUnread)
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.AnswerUnread, false), cancellationToken) > 0;
            if (cleared)
            {
                await TipScores.RecomputeAsync(db, db.Tips.Where(t => t.Id == tipId), clock.GetUtcNow().UtcDateTime, cancellationToken);
            }

            await auditLog.RecordAsync(new AuditEntry(officer, AuditActions.TipViewed, tipId), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return cleared;
        });

        var tip = await db.Tips.AsNoTracking()
            .Include(t => t.Notice).ThenInclude(n => n!.Warrants)
            .Include(t => t.Messages)
            .Include(t => t.Attachments)
            .AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == tipId, cancellationToken);
        if (tip is null)
        {
            return null;
        }

        var photos = tip.NoticeId is { } noticeId
            ? await db.NoticePhotos.AsNoTracking().Where(p => p.NoticeId == noticeId).OrderBy(p => p.Id)
                .Select(p => new NoticePhotoLink(p.Id, p.AltText)).ToListAsync(cancellationToken)
            : [];
        var notes = await db.TipNotes.AsNoTracking().Where(n => n.TipId == tipId)
            .OrderBy(n => n.CreatedAtUtc).ThenBy(n => n.Id).ToListAsync(cancellationToken);
        var authorIds = notes.Select(n => n.AuthorId).Concat(tip.Messages.Select(m => m.OfficerId).OfType<string>()).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, cancellationToken);

        return new OfficerView(
            tip,
            OpenContent(tip),
            wasUnread || (!marksAnswerRead && tip.AnswerUnread),
            photos,
            [.. tip.Messages.OrderBy(m => m.Position).Select(m => new OfficerMessage(
                m.Id, m.Author, m.Position, m.SentAtUtc, OpenMessage(tip, m),
                m.OfficerId is null ? null : names.GetValueOrDefault(m.OfficerId, m.OfficerId)))],
            [.. tip.Attachments.OrderBy(a => a.Position).Select(a => new OpenedAttachment(
                a.Id, a.Position, a.MessageId, a.ContentType, a.Size, a.Width, a.Height, a.AddedAtUtc,
                Convert.ToHexString(OpenOriginalFingerprint(tip, a)), OpenLocation(tip, a)))],
            [.. notes.Select(n => new OpenedNote(n.Id, n.Kind, names.GetValueOrDefault(n.AuthorId, n.AuthorId), n.CreatedAtUtc, OpenNote(tip, n)))]);
    }

    /// <summary>The cleaned file for an officer, audited (viewed inline or downloaded) before it is handed out.</summary>
    public async Task<byte[]> OpenAttachmentAsync(Tip tip, TipAttachment attachment, AuditEntry audit, CancellationToken cancellationToken)
    {
        var content = OpenAttachment(tip, attachment);
        await auditLog.RecordAsync(audit, cancellationToken);
        return content;
    }

    /// <summary>
    /// Seals a note of <paramref name="kind"/> on the tip and adds it to the context without saving:
    /// the caller saves it with its own change and audit record (<see cref="AuditLog.RecordAsync"/>).
    /// Its time is exact (officer side).
    /// </summary>
    public TipNote SealNote(Tip tip, TipNoteKind kind, string authorId, string text)
    {
        var note = new TipNote
        {
            Id = Guid.NewGuid(),
            TipId = tip.Id,
            Kind = kind,
            AuthorId = authorId,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        note.SealedBody = sealer.Seal(tip, NoteBinding(note), Encoding.UTF8.GetBytes(text));
        db.TipNotes.Add(note);
        return note;
    }

    /// <summary>Adds an internal note and its audit record in one save; the audit actor is the note's author.</summary>
    public async Task<TipNote> AddNoteAsync(Guid tipId, TipNoteKind kind, string text, AuditEntry audit, CancellationToken cancellationToken)
    {
        var tip = await db.Tips.AsNoTracking().SingleAsync(t => t.Id == tipId, cancellationToken);
        var note = SealNote(tip, kind, audit.Actor.Id ?? throw new ArgumentException("A note needs an officer as its author.", nameof(audit)), text);
        await auditLog.RecordAsync(audit, cancellationToken);
        return note;
    }

    public string OpenNote(Tip tip, TipNote note) =>
        Encoding.UTF8.GetString(sealer.Open(tip, NoteBinding(note), note.SealedBody));

    private IEnumerable<TipAttachment> SealFiles(
        Tip tip, IReadOnlyList<AttachmentIntake.CleanFile> files, int firstPosition, Guid? messageId, DateTime addedAtUtc)
    {
        var sealedFiles = new List<TipAttachment>(files.Count);
        foreach (var file in files)
        {
            var attachment = new TipAttachment
            {
                Id = Guid.NewGuid(),
                TipId = tip.Id,
                MessageId = messageId,
                Position = firstPosition + sealedFiles.Count,
                ContentType = file.Inspection.ContentType,
                Size = file.Inspection.Cleaned.Length,
                Width = file.Inspection.Width,
                Height = file.Inspection.Height,
                AddedAtUtc = addedAtUtc,
            };
            attachment.SealedContent = sealer.Seal(tip, AttachmentBinding(attachment, AttachmentPurpose), file.Inspection.Cleaned);
            attachment.SealedOriginalHash = sealer.Seal(tip, AttachmentBinding(attachment, AttachmentHashPurpose), file.OriginalFingerprint);
            attachment.SealedLocation = file.Location is { } location
                ? sealer.Seal(tip, AttachmentBinding(attachment, LocationPurpose), location.ToBytes())
                : null;
            sealedFiles.Add(attachment);
        }

        return sealedFiles;
    }

    /// <summary>The same words sent again with other files are a new message, not a double click.</summary>
    private async Task<bool> HasTheseFilesAsync(Tip tip, TipMessage message, IReadOnlyList<AttachmentIntake.CleanFile> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return true;
        }

        var earlier = await db.TipAttachments.AsNoTracking().Where(a => a.MessageId == message.Id).ToListAsync(cancellationToken);
        var fingerprints = earlier.Select(a => Convert.ToHexString(OpenOriginalFingerprint(tip, a))).ToHashSet(StringComparer.Ordinal);
        return files.All(f => fingerprints.Contains(Convert.ToHexString(f.OriginalFingerprint)));
    }

    private async Task<int> NextMessagePositionAsync(Guid tipId, CancellationToken cancellationToken) =>
        (await db.TipMessages.Where(m => m.TipId == tipId).MaxAsync(m => (int?)m.Position, cancellationToken) ?? 0) + 1;

    private async Task<int> NextFilePositionAsync(Guid tipId, CancellationToken cancellationToken) =>
        (await db.TipAttachments.Where(a => a.TipId == tipId).MaxAsync(a => (int?)a.Position, cancellationToken) ?? 0) + 1;

    /// <summary>After a refused write, what this store added must not be written by a later save.</summary>
    private void ForgetUnsaved()
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    public static SealBinding MessageBinding(TipMessage message) =>
        new(message.TipId, MessagePurpose, message.Id, message.Author, message.Position);

    /// <summary>A note is bound to its row, its kind and its author: it cannot be moved to another tip, relabelled or reattributed.</summary>
    public static SealBinding NoteBinding(TipNote note) =>
        new(note.TipId, string.Create(CultureInfo.InvariantCulture, $"{NotePurpose}:{(int)note.Kind}:{note.AuthorId}"), note.Id);

    public static SealBinding AttachmentBinding(TipAttachment attachment, string purpose) =>
        new(attachment.TipId, purpose, attachment.Id, Position: attachment.Position, MessageId: attachment.MessageId);
}
