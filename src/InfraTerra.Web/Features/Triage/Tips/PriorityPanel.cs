using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Triage.Tips;

/// <summary>The tip view's priority section: the stored score and its reasons, and both deadline clocks as of now.</summary>
public sealed record PriorityPanel(
    int Score,
    IReadOnlyList<string> Reasons,
    DateTime AcknowledgeDueUtc,
    DeadlineState Acknowledge,
    DateTime? AcknowledgedAtUtc,
    DateTime FeedbackDueUtc,
    DeadlineState Feedback,
    DateTime? FeedbackGivenAtUtc)
{
    public static PriorityPanel Of(Tip tip, DeadlineOptions deadlines, DateTime nowUtc) => new(
        tip.PriorityScore,
        PriorityText.Describe(tip.PriorityReasons),
        TipDeadlines.AcknowledgeDue(tip.SubmittedAtUtc, deadlines),
        TipDeadlines.Acknowledge(tip.SubmittedAtUtc, tip.FirstActionAtUtc, nowUtc, deadlines),
        tip.FirstActionAtUtc,
        TipDeadlines.FeedbackDue(tip.SubmittedAtUtc, deadlines),
        TipDeadlines.Feedback(tip.SubmittedAtUtc, tip.FeedbackGivenAtUtc, tip.Status, nowUtc, deadlines),
        tip.FeedbackGivenAtUtc);
}
