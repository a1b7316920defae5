namespace InfraTerra.Web.Domain;

/// <summary>One message in the two-way anonymous conversation about a tip; its text is sealed.</summary>
public class TipMessage
{
    public Guid Id { get; set; }
    public Guid TipId { get; set; }
    public MessageAuthor Author { get; set; }
    public DateTime SentAtUtc { get; set; }
    public byte[] SealedBody { get; set; } = [];
}

public enum MessageAuthor
{
    Tipster = 1,
    Officer = 2,
}
