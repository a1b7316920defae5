namespace InfraTerra.Web.Domain;

/// <summary>
/// An e-mail waiting to be sent by the background sender. Written in the same transaction as what
/// caused it, so a crash never loses one nor sends one for something that did not happen.
/// Holds no tip content.
/// </summary>
public class EmailOutboxMessage
{
    public long Id { get; set; }
    public string ToAddress { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    public int Attempts { get; set; }
    public DateTime? SentAtUtc { get; set; }

    /// <summary>Set by the sender that took the message, so that two nodes never send it twice.</summary>
    public DateTime? ClaimedUntilUtc { get; set; }

    public string? LastError { get; set; }
}
