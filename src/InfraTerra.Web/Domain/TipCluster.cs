namespace InfraTerra.Web.Domain;

/// <summary>
/// Tips an officer judged to say the same thing: sightings of one fugitive, or repeats of one tip.
/// Its size feeds each member's priority score.
/// </summary>
public class TipCluster
{
    public Guid Id { get; set; }
    public int? NoticeId { get; set; }

    /// <summary>Kept by whoever links or unlinks a tip, in the same transaction.</summary>
    public int TipCount { get; set; }

    public string CreatedById { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
}
