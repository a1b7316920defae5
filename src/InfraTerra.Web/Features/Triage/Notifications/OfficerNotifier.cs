using System.Security.Cryptography;
using System.Text;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Features.Triage.Notifications;

/// <summary>
/// Writes officers' notifications, and their e-mails to the outbox when e-mail is on, onto the
/// caller's context without saving: they are stored in the same transaction as the event that
/// caused them, or not at all. Each carries a <see cref="OfficerNotification.DedupKey"/>, so one
/// event never notifies one officer twice; keys already stored are skipped.
/// </summary>
public sealed class OfficerNotifier(AppDbContext db, TimeProvider clock, IOptions<EmailOptions> email, IConfiguration configuration)
{
    /// <summary>The tip, as much of it as a notification needs: plain columns only.</summary>
    public sealed record TipRef(Guid Id, string Desk, string? AssignedToId)
    {
        public static TipRef Of(Tip tip) => new(tip.Id, tip.Desk, tip.AssignedToId);
    }

    private sealed record Recipient(string Id, string? Email);

    /// <summary>
    /// A new tip: when the tipster said someone is in danger now, its desk's officers and every
    /// Supervisor are told. A tip without that flag costs nothing here, not even a query.
    /// </summary>
    public Task TipArrivedAsync(Tip tip, CancellationToken cancellationToken) =>
        tip.ThreatToLife == ThreatToLife.None
            ? Task.CompletedTask
            : UrgentAsync(TipRef.Of(tip), exceptOfficerId: null, cancellationToken);

    /// <summary>
    /// An officer confirmed a threat to life: the desk's officers and the Supervisors are told, except
    /// the officer who confirmed it and those already told about this tip (by the tipster's flag).
    /// </summary>
    public Task ThreatConfirmedAsync(Tip tip, string confirmedById, CancellationToken cancellationToken) =>
        UrgentAsync(TipRef.Of(tip), confirmedById, cancellationToken);

    /// <summary>A tipster's message tells the officer holding the tip, if someone does.</summary>
    public async Task MessageAddedAsync(Tip tip, TipMessage message, CancellationToken cancellationToken)
    {
        if (message.Author != MessageAuthor.Tipster || tip.AssignedToId is not { } holder)
        {
            return;
        }

        var recipients = await EnabledAsync(db.Users.Where(u => u.Id == holder), cancellationToken);
        await AddAsync(recipients, NotificationKind.AnswerOnHeldTip, TipRef.Of(tip), r => $"answer:{message.Id:N}:{r.Id}", null, cancellationToken);
    }

    /// <summary>
    /// A deadline is due soon: the holder is told, or, while nobody holds the tip, its desk's
    /// officers. Once per tip, deadline and officer. Returns how many notifications were added.
    /// </summary>
    public async Task<int> DeadlineDueSoonAsync(TipRef tip, NotificationKind kind, DateTime dueUtc, CancellationToken cancellationToken)
    {
        var users = tip.AssignedToId is { } holder
            ? db.Users.Where(u => u.Id == holder)
            : db.Users.Where(u => db.OfficerDesks.Any(d => d.UserId == u.Id && d.Desk == tip.Desk)
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Officer)));
        var prefix = kind == NotificationKind.AcknowledgeDueSoon ? "ack-due" : "feedback-due";
        return await AddAsync(await EnabledAsync(users, cancellationToken), kind, tip, r => $"{prefix}:{tip.Id:N}:{r.Id}", dueUtc, cancellationToken);
    }

    /// <summary>
    /// The tip will be deleted at <paramref name="deletionUtc"/>: its holder is told, or, while nobody
    /// holds it (or its holder's account is disabled), every Supervisor (the only ones who can put it on hold). Once per tip, warning
    /// (<paramref name="daysBefore"/>), officer and closing of the tip: a tip closed again later is
    /// warned again. Returns how many notifications were added.
    /// </summary>
    public async Task<int> DeletionDueSoonAsync(TipRef tip, int daysBefore, DateTime statusChangedAtUtc, DateTime deletionUtc, CancellationToken cancellationToken)
    {
        var recipients = tip.AssignedToId is { } holder ? await EnabledAsync(db.Users.Where(u => u.Id == holder), cancellationToken) : [];
        if (recipients.Count == 0)
        {
            // Nobody holds it, or its holder's account was disabled.
            recipients = await EnabledAsync(
                db.Users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Supervisor))), cancellationToken);
        }

        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"retention:{tip.Id:N}:{statusChangedAtUtc.Ticks}:{daysBefore}");
        return await AddAsync(recipients, NotificationKind.DeletionDueSoon, tip, r => $"{key}:{r.Id}", deletionUtc, cancellationToken);
    }

    private async Task UrgentAsync(TipRef tip, string? exceptOfficerId, CancellationToken cancellationToken)
    {
        var users = db.Users.Where(u => u.Id != exceptOfficerId
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId
                && (r.Name == Roles.Supervisor || (r.Name == Roles.Officer && db.OfficerDesks.Any(d => d.UserId == u.Id && d.Desk == tip.Desk))))));
        await AddAsync(await EnabledAsync(users, cancellationToken), NotificationKind.UrgentTipOnDesk, tip, r => $"urgent:{tip.Id:N}:{r.Id}", null, cancellationToken);
    }

    private static async Task<IReadOnlyList<Recipient>> EnabledAsync(IQueryable<OfficerUser> users, CancellationToken cancellationToken) =>
        await users.Where(u => u.DisabledAtUtc == null).Select(u => new Recipient(u.Id, u.Email)).ToListAsync(cancellationToken);

    private async Task<int> AddAsync(
        IReadOnlyList<Recipient> recipients, NotificationKind kind, TipRef tip, Func<Recipient, string> keyOf, DateTime? dueUtc, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0)
        {
            return 0;
        }

        var keyed = recipients.Select(r => (Recipient: r, Key: DedupKey(keyOf(r)))).ToList();
        var keys = keyed.Select(k => k.Key).ToList();
        var stored = (await db.OfficerNotifications.Where(n => keys.Contains(n.DedupKey)).Select(n => n.DedupKey).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = email.Value;
        var added = 0;
        foreach (var (recipient, key) in keyed.Where(k => !stored.Contains(k.Key)))
        {
            db.OfficerNotifications.Add(new OfficerNotification
            {
                OfficerId = recipient.Id,
                Kind = kind,
                TipId = tip.Id,
                CreatedAtUtc = now,
                DedupKey = key,
            });
            if (settings.Enabled)
            {
                EmailOutbox.Enqueue(db, recipient.Email, NotificationTexts.Subject(kind, tip.Desk),
                    NotificationTexts.Body(kind, tip.Desk, tip.Id, dueUtc, LinkBase(settings)), now);
            }

            added++;
        }

        return added;
    }

    private string? LinkBase(EmailOptions settings)
    {
        var configured = string.IsNullOrWhiteSpace(settings.LinkBaseUrl) ? configuration["Site:PublicBaseUrl"] : settings.LinkBaseUrl;
        return string.IsNullOrWhiteSpace(configured) ? null : configured.TrimEnd('/');
    }

    /// <summary>Keys fit the column (200): one too long (an unusual account id) is replaced by its hash.</summary>
    private static string DedupKey(string key) =>
        key.Length <= 200 ? key : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
