namespace InfraTerra.Web.Domain;

/// <summary>
/// Deadline targets, by default the EU Whistleblowing Directive's (2019/1937, art. 9): acknowledge
/// within 7 days, give feedback within 3 months. Bound from the <c>Deadlines</c> configuration section.
/// </summary>
public sealed class DeadlineOptions
{
    public int AcknowledgeDays { get; set; } = 7;
    public int FeedbackMonths { get; set; } = 3;

    /// <summary>How long before a deadline the tip is flagged as due soon.</summary>
    public int DueSoonDays { get; set; } = 2;

    /// <summary>What is wrong with these settings, in words an operator can act on; null when they are usable.</summary>
    public string? Problem() =>
        AcknowledgeDays is < 1 or > 365 ? "Deadlines:AcknowledgeDays must be a whole number of days from 1 to 365."
        : FeedbackMonths is < 1 or > 24 ? "Deadlines:FeedbackMonths must be a whole number of months from 1 to 24."
        : DueSoonDays < 0 || DueSoonDays >= AcknowledgeDays ? "Deadlines:DueSoonDays must be 0 or more and less than Deadlines:AcknowledgeDays."
        : null;
}

public enum DeadlineState
{
    None = 0,
    Met = 1,
    Running = 2,
    DueSoon = 3,
    Overdue = 4,
}

/// <summary>
/// The two clocks on every tip. Acknowledgement stops at the first officer action; feedback stops at
/// the first message to the tipster, or when the tip is closed (the tipster sees that at follow-up).
/// </summary>
public static class TipDeadlines
{
    public static DateTime AcknowledgeDue(DateTime submittedAtUtc, DeadlineOptions options) =>
        submittedAtUtc.AddDays(options.AcknowledgeDays);

    public static DateTime FeedbackDue(DateTime submittedAtUtc, DeadlineOptions options) =>
        submittedAtUtc.AddMonths(options.FeedbackMonths);

    public static DeadlineState Acknowledge(DateTime submittedAtUtc, DateTime? firstActionAtUtc, DateTime nowUtc, DeadlineOptions options) =>
        firstActionAtUtc is not null ? DeadlineState.Met : StateOf(AcknowledgeDue(submittedAtUtc, options), nowUtc, options);

    public static DeadlineState Feedback(DateTime submittedAtUtc, DateTime? feedbackGivenAtUtc, TipStatus status, DateTime nowUtc, DeadlineOptions options) =>
        feedbackGivenAtUtc is not null || StatusRules.IsClosing(status)
            ? DeadlineState.Met
            : StateOf(FeedbackDue(submittedAtUtc, options), nowUtc, options);

    private static DeadlineState StateOf(DateTime due, DateTime nowUtc, DeadlineOptions options) =>
        nowUtc >= due ? DeadlineState.Overdue
        : nowUtc >= due.AddDays(-options.DueSoonDays) ? DeadlineState.DueSoon
        : DeadlineState.Running;
}
