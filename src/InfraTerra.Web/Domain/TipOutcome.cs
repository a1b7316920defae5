namespace InfraTerra.Web.Domain;

/// <summary>
/// What a tip or a cluster of tips led to, recorded by an officer. Officer data, no tip content: it
/// outlives the tips it was recorded on (their purge sets <see cref="TipId"/> to null), so a notice's
/// outcome history and an operation's results survive retention.
/// </summary>
public class TipOutcome
{
    public Guid Id { get; set; }
    public Guid? TipId { get; set; }
    public Guid? ClusterId { get; set; }

    /// <summary>The notice the tip or cluster was about, copied when recorded.</summary>
    public int? NoticeId { get; set; }

    public OutcomeKind Kind { get; set; }

    /// <summary>The day it happened, as the officer gives it.</summary>
    public DateOnly OccurredOn { get; set; }

    public string RecordedById { get; set; } = "";
    public DateTime RecordedAtUtc { get; set; }
}
