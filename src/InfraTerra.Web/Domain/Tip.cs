namespace InfraTerra.Web.Domain;

/// <summary>
/// A tip. Only what the queue needs is in plain columns; everything the tipster wrote is in
/// <see cref="SealedContent"/>, encrypted under a per-tip data key.
/// </summary>
public class Tip
{
    public const string GeneralDesk = "GENERAL";

    public Guid Id { get; set; }
    public int? NoticeId { get; set; }
    public Notice? Notice { get; set; }

    /// <summary>ISO country code of the desk that owns the tip, or <see cref="GeneralDesk"/>.</summary>
    public string Desk { get; set; } = GeneralDesk;

    public string? SightingCountry { get; set; }
    public DateOnly? SightedOn { get; set; }
    public TipStatus Status { get; set; } = TipStatus.New;
    /// <summary>To the hour (<see cref="TipsterTime"/>); tips have no sequence number either.</summary>
    public DateTime SubmittedAtUtc { get; set; }

    public byte[] SealedContent { get; set; } = [];
    public byte[] WrappedDataKey { get; set; } = [];
    public string MasterKeyId { get; set; } = "";

    /// <summary>Keyed hash of the receipt code; the code itself is never stored in plain.</summary>
    public byte[] ReceiptLookupHash { get; set; } = [];

    /// <summary>Hash of the form's idempotency key: a repeated submit finds this tip.</summary>
    public byte[] IdempotencyKeyHash { get; set; } = [];

    /// <summary>The receipt, encrypted under a key derived from the idempotency key that only the form holds.</summary>
    public byte[] ReplayReceipt { get; set; } = [];

    /// <summary>The officer holding the tip, or null when nobody has claimed it.</summary>
    public string? AssignedToId { get; set; }

    public ThreatToLife ThreatToLife { get; set; }
    public SourceReliability? SourceGrade { get; set; }
    public InformationCredibility? InformationGrade { get; set; }

    /// <summary>The tipster answered and no officer has opened the tip since.</summary>
    public bool AnswerUnread { get; set; }

    /// <summary>Exact (officer side): when an officer first did something with the tip beyond reading it.</summary>
    public DateTime? FirstActionAtUtc { get; set; }

    /// <summary>
    /// The queue's order: computed by <see cref="TipPriority"/> from plain columns only, stored so the
    /// queue can page by it with an index, recomputed when the tip, its notice, its cluster or its grade
    /// changes and daily for the parts that depend on time.
    /// </summary>
    public int PriorityScore { get; set; }

    /// <summary>Why the score is what it is, shown beside it.</summary>
    public PriorityReasons PriorityReasons { get; set; }

    /// <summary>
    /// Facts about what the tipster wrote that the score needs, taken at intake so that scoring never
    /// decrypts a tip. Coarse on purpose: flags, never words.
    /// </summary>
    public TipsterSignals TipsterSignals { get; set; }

    /// <summary>The cluster of tips that say the same thing (about one sighting or one fugitive), if linked.</summary>
    public Guid? ClusterId { get; set; }

    /// <summary>Exact (officer side): when an officer first wrote to the tipster; the feedback deadline stops here.</summary>
    public DateTime? FeedbackGivenAtUtc { get; set; }

    /// <summary>
    /// When <see cref="Status"/> last changed (exact, officer side); at intake the coarse submission time.
    /// Retention counts from here.
    /// </summary>
    public DateTime StatusChangedAtUtc { get; set; }

    /// <summary>Why the tip was closed when no officer closed it: its notice's arrest or withdrawal.</summary>
    public TipClosure? ClosedBecause { get; set; }

    /// <summary>A Supervisor's hold: the tip is kept past its retention period while this is set.</summary>
    public string? RetentionHoldReason { get; set; }

    public string? RetentionHeldById { get; set; }
    public DateTime? RetentionHeldAtUtc { get; set; }

    /// <summary>Bumped by every officer decision: a decision made on an older view is refused, never overwrites.</summary>
    public int Revision { get; set; }

    public List<TipMessage> Messages { get; set; } = [];
    public List<TipAttachment> Attachments { get; set; } = [];

    public PublicTipStatus PublicStatus => PublicStatusOf(Status);

    public static PublicTipStatus PublicStatusOf(TipStatus status) => status switch
    {
        TipStatus.New => PublicTipStatus.Received,
        TipStatus.InReview or TipStatus.Actionable or TipStatus.Forwarded => PublicTipStatus.UnderReview,
        _ => PublicTipStatus.Closed,
    };

    public static string DeskFor(Notice? notice) =>
        notice?.Warrants.OrderBy(w => w.Id).FirstOrDefault()?.IssuingCountry ?? GeneralDesk;
}
