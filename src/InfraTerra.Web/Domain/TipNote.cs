namespace InfraTerra.Web.Domain;

/// <summary>
/// Something officers wrote about a tip that the tipster never sees: an internal note, or the
/// reason given with a status change, a grade, a threat-to-life decision or a forward. Sealed
/// like the tip; its time is exact (officer side).
/// </summary>
public class TipNote
{
    public Guid Id { get; set; }
    public Guid TipId { get; set; }
    public TipNoteKind Kind { get; set; }
    public string AuthorId { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    public byte[] SealedBody { get; set; } = [];
}

public enum TipNoteKind
{
    Note = 1,
    StatusReason = 2,
    GradeNote = 3,
    ThreatToLifeReason = 4,
    ForwardReason = 5,
    RetentionHoldReason = 6,
}
