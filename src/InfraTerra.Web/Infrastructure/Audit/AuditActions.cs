namespace InfraTerra.Web.Infrastructure.Audit;

/// <summary>The names of audited actions, one list so that the log and its search agree.</summary>
public static class AuditActions
{
    public const string SignedIn = "account.signed-in";
    public const string SignInFailed = "account.sign-in-failed";
    public const string SignedOut = "account.signed-out";
    public const string PasswordChanged = "account.password-changed";
    public const string SecondFactorEnrolled = "account.second-factor-enrolled";
    public const string RecoveryCodesGenerated = "account.recovery-codes-generated";

    public const string AccountCreated = "admin.account-created";
    public const string AccountDisabled = "admin.account-disabled";
    public const string AccountEnabled = "admin.account-enabled";
    public const string RolesChanged = "admin.roles-changed";
    public const string DesksChanged = "admin.desks-changed";
    public const string SecondFactorReset = "admin.second-factor-reset";
    public const string AccountReset = "admin.account-reset";

    public const string TipViewed = "tip.viewed";
    public const string AttachmentViewed = "tip.attachment-viewed";
    public const string AttachmentDownloaded = "tip.attachment-downloaded";
    public const string QuestionSent = "tip.question-sent";
    public const string NoteAdded = "tip.note-added";
    public const string StatusChanged = "tip.status-changed";
    public const string Claimed = "tip.claimed";
    public const string Assigned = "tip.assigned";
    public const string Released = "tip.released";
    public const string Graded = "tip.graded";
    public const string ThreatToLifeChanged = "tip.threat-to-life-changed";
    public const string Forwarded = "tip.forwarded";
    public const string Linked = "tip.linked";
    public const string Unlinked = "tip.unlinked";

    /// <summary>The tip's date, country and place were shown to an officer in the similar tips of another tip.</summary>
    public const string ShownAsSimilar = "tip.shown-as-similar";

    /// <summary>The tip's date, country and place were shown to an officer on its cluster's timeline.</summary>
    public const string ListedInCluster = "tip.listed-in-cluster";

    /// <summary>A Supervisor put the tip on hold: kept past its retention period. The typed reason is a sealed note, not in the record.</summary>
    public const string RetentionHeld = "tip.retention-held";

    public const string RetentionReleased = "tip.retention-released";

    /// <summary>The tip was deleted under the retention rules; the record says what was deleted, never what it said.</summary>
    public const string Purged = "tip.purged";

    /// <summary>One run of the retention purge: how many tips of each status were deleted.</summary>
    public const string PurgeRun = "retention.purge-run";

    /// <summary>A Supervisor exported the queue as CSV: the filter (as its query) and how many tips it matched.</summary>
    public const string QueueExported = "queue.exported";

    /// <summary>The tip's row, with what the tipster wrote, was written to a CSV export (the detail names the export's record).</summary>
    public const string TipExported = "tip.exported";

    /// <summary>An evidence package of the tip (or of its cluster) was made: file count and the manifest's SHA-256, never content.</summary>
    public const string EvidenceExported = "evidence.exported";

    public const string NoticeCreated = "notice.created";
    public const string NoticeEdited = "notice.edited";
    public const string NoticePublished = "notice.published";
    public const string NoticeUnpublished = "notice.unpublished";
    public const string NoticeStatusChanged = "notice.status-changed";
    public const string NoticePhotoAdded = "notice.photo-added";
    public const string NoticePhotoRemoved = "notice.photo-removed";
    public const string OperationCreated = "operation.created";

    /// <summary>An officer recorded what a tip or cluster led to; the detail is its kind and day.</summary>
    public const string OutcomeRecorded = "outcome.recorded";

    /// <summary>An officer removed an outcome recorded in error; the detail is its kind and day.</summary>
    public const string OutcomeRemoved = "outcome.removed";

    public const string AuditSearched = "audit.searched";
    public const string AuditVerified = "audit.verified";
}
