using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Domain;

public sealed class TipDeadlinesTests
{
    private static readonly DateTime Submitted = new(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DeadlineOptions Defaults = new();

    [Fact]
    public void Defaults_AreTheWhistleblowingDirectives_SevenDaysAndThreeMonths()
    {
        Assert.Equal(new DateTime(2026, 11, 9, 10, 0, 0, DateTimeKind.Utc), TipDeadlines.AcknowledgeDue(Submitted, Defaults));
        Assert.Equal(new DateTime(2027, 2, 2, 10, 0, 0, DateTimeKind.Utc), TipDeadlines.FeedbackDue(Submitted, Defaults));
        Assert.Null(Defaults.Problem());
    }

    [Theory]
    [InlineData(1, DeadlineState.Running)]
    [InlineData(4.9, DeadlineState.Running)]
    [InlineData(5, DeadlineState.DueSoon)]
    [InlineData(5.0001, DeadlineState.DueSoon)]
    [InlineData(6.9, DeadlineState.DueSoon)]
    [InlineData(7, DeadlineState.Overdue)]
    [InlineData(30, DeadlineState.Overdue)]
    public void Acknowledge_RunsThenIsDueSoonTwoDaysBeforeThenOverdue(double daysLater, DeadlineState expected)
    {
        Assert.Equal(expected, TipDeadlines.Acknowledge(Submitted, null, Submitted.AddDays(daysLater), Defaults));
    }

    [Fact]
    public void Acknowledge_IsMetByTheFirstOfficerAction_EvenLate()
    {
        Assert.Equal(DeadlineState.Met, TipDeadlines.Acknowledge(Submitted, Submitted.AddDays(20), Submitted.AddDays(30), Defaults));
    }

    [Fact]
    public void Feedback_IsMetByAMessageToTheTipster_OrByClosingTheTip()
    {
        var late = Submitted.AddMonths(4);

        Assert.Equal(DeadlineState.Overdue, TipDeadlines.Feedback(Submitted, null, TipStatus.InReview, late, Defaults));
        Assert.Equal(DeadlineState.Met, TipDeadlines.Feedback(Submitted, Submitted.AddDays(3), TipStatus.InReview, late, Defaults));
        Assert.Equal(DeadlineState.Met, TipDeadlines.Feedback(Submitted, null, TipStatus.Closed, late, Defaults));
        Assert.Equal(DeadlineState.Met, TipDeadlines.Feedback(Submitted, null, TipStatus.Duplicate, late, Defaults));
        Assert.Equal(DeadlineState.Running, TipDeadlines.Feedback(Submitted, null, TipStatus.New, Submitted.AddMonths(2), Defaults));
        Assert.Equal(DeadlineState.DueSoon, TipDeadlines.Feedback(Submitted, null, TipStatus.New, Submitted.AddMonths(3).AddDays(-1), Defaults));
    }

    [Fact]
    public void OtherTargets_MoveTheClocks()
    {
        var options = new DeadlineOptions { AcknowledgeDays = 3, FeedbackMonths = 1, DueSoonDays = 0 };

        Assert.Equal(DeadlineState.Running, TipDeadlines.Acknowledge(Submitted, null, Submitted.AddDays(2.9), options));
        Assert.Equal(DeadlineState.Overdue, TipDeadlines.Acknowledge(Submitted, null, Submitted.AddDays(3), options));
        Assert.Equal(DeadlineState.Overdue, TipDeadlines.Feedback(Submitted, null, TipStatus.New, Submitted.AddMonths(1), options));
    }

    [Theory]
    [InlineData(0, 3, 2, "Deadlines:AcknowledgeDays")]
    [InlineData(366, 3, 2, "Deadlines:AcknowledgeDays")]
    [InlineData(7, 0, 2, "Deadlines:FeedbackMonths")]
    [InlineData(7, 25, 2, "Deadlines:FeedbackMonths")]
    [InlineData(7, 3, -1, "Deadlines:DueSoonDays")]
    [InlineData(7, 3, 7, "Deadlines:DueSoonDays")]
    public void BadTargets_AreNamedInTheProblem(int acknowledgeDays, int feedbackMonths, int dueSoonDays, string key)
    {
        var options = new DeadlineOptions { AcknowledgeDays = acknowledgeDays, FeedbackMonths = feedbackMonths, DueSoonDays = dueSoonDays };

        Assert.StartsWith(key, options.Problem(), StringComparison.Ordinal);
    }
}
