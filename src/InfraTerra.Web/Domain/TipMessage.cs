namespace InfraTerra.Web.Domain;

/// <summary>
/// One message in the two-way anonymous conversation about a tip; its text is sealed. The
/// conversation is ordered by <see cref="Position"/>, not by time: a tipster's times are kept
/// only to the hour (<see cref="TipsterTime"/>), an officer's exactly.
/// </summary>
public class TipMessage
{
    public Guid Id { get; set; }
    public Guid TipId { get; set; }
    public MessageAuthor Author { get; set; }

    /// <summary>For an officer's message, who wrote it (never shown to the tipster).</summary>
    public string? OfficerId { get; set; }

    /// <summary>1, 2, 3... within the tip; unique per tip.</summary>
    public int Position { get; set; }

    public DateTime SentAtUtc { get; set; }
    public byte[] SealedBody { get; set; } = [];
}

public enum MessageAuthor
{
    Tipster = 1,
    Officer = 2,
}
