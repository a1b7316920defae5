namespace InfraTerra.Web.Domain;

/// <summary>
/// Something an officer should look at. It names the kind and the tip, never what the tip says.
/// </summary>
public class OfficerNotification
{
    public long Id { get; set; }
    public string OfficerId { get; set; } = "";
    public NotificationKind Kind { get; set; }
    public Guid? TipId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? ReadAtUtc { get; set; }

    /// <summary>Unique: the same event never notifies the same officer twice (for example, one deadline).</summary>
    public string DedupKey { get; set; } = "";
}

public enum NotificationKind
{
    UrgentTipOnDesk = 1,
    AnswerOnHeldTip = 2,
    AcknowledgeDueSoon = 3,
    FeedbackDueSoon = 4,

    /// <summary>The tip will be deleted under the retention rules (28, 14, 7, 3 and 1 days before).</summary>
    DeletionDueSoon = 5,
}
