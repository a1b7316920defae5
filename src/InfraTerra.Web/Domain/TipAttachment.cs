namespace InfraTerra.Web.Domain;

/// <summary>
/// A file sent with a tip, as cleaned on arrival (images re-encoded without metadata, PDF
/// metadata blanked). Content and a keyed fingerprint of the original file (HMAC-SHA-256) are
/// sealed under the tip's data key; the original itself is never kept. Never served to the
/// public. A file sent with a reply in the follow-up conversation points to that message.
/// </summary>
public class TipAttachment
{
    public Guid Id { get; set; }
    public Guid TipId { get; set; }
    public Guid? MessageId { get; set; }

    /// <summary>1, 2, 3... within the tip, in the order the files arrived; unique per tip.</summary>
    public int Position { get; set; }

    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    /// <summary>To the hour, like every tipster-side time (<see cref="TipsterTime"/>).</summary>
    public DateTime AddedAtUtc { get; set; }
    public byte[] SealedContent { get; set; } = [];
    /// <summary>HMAC-SHA-256 of the original file under a key only the portal holds, sealed.</summary>
    public byte[] SealedOriginalHash { get; set; } = [];

    /// <summary>The camera's GPS position, sealed; only when the tipster chose to keep it, else null.</summary>
    public byte[]? SealedLocation { get; set; }
}
