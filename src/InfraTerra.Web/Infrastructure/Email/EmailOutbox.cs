using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Infrastructure.Email;

/// <summary>Puts an e-mail in the outbox, on the caller's context: it is saved with the caller's change or not at all.</summary>
public static class EmailOutbox
{
    public const int AddressMax = 256;
    public const int SubjectMax = 200;
    public const int BodyMax = 4000;

    /// <summary>False (nothing added) for an address that cannot be one or does not fit.</summary>
    public static bool Enqueue(AppDbContext db, string? toAddress, string subject, string body, DateTime nowUtc)
    {
        if (string.IsNullOrWhiteSpace(toAddress) || toAddress.Length > AddressMax || !MimeKit.MailboxAddress.TryParse(toAddress, out _))
        {
            return false;
        }

        db.EmailOutbox.Add(new EmailOutboxMessage
        {
            ToAddress = toAddress,
            Subject = subject.Length <= SubjectMax ? subject : subject[..SubjectMax],
            Body = body.Length <= BodyMax ? body : body[..BodyMax],
            CreatedAtUtc = nowUtc,
            NextAttemptAtUtc = nowUtc,
        });
        return true;
    }
}
