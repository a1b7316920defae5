namespace InfraTerra.Web.Domain;

/// <summary>
/// A file sent with a tip, as cleaned on arrival (images re-encoded without metadata, PDF
/// metadata blanked). Content and the original file's SHA-256 are sealed under the tip's data
/// key; the original itself is never kept. Never served to the public. A file sent with a reply
/// in the follow-up conversation points to that message.
/// </summary>
public class TipAttachment
{
    public Guid Id { get; set; }
    public Guid TipId { get; set; }
    public Guid? MessageId { get; set; }
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public DateTime AddedAtUtc { get; set; }
    public byte[] SealedContent { get; set; } = [];
    public byte[] SealedOriginalHash { get; set; } = [];

    /// <summary>The camera's GPS position, sealed; only when the tipster chose to keep it, else null.</summary>
    public byte[]? SealedLocation { get; set; }
}
