using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Domain;

public sealed class RetentionRulesTests
{
    private static readonly RetentionPeriods Periods = new(NotActionableDays: 90, DuplicateDays: 30, ClosedDays: 365);
    private static readonly DateTime Changed = new(2026, 1, 2, 10, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(TipStatus.NotActionable, 90)]
    [InlineData(TipStatus.Duplicate, 30)]
    [InlineData(TipStatus.Closed, 365)]
    public void AFinalStatus_IsDeletedItsPeriodAfterTheStatusChanged(TipStatus status, int days)
    {
        Assert.Equal(Changed.AddDays(days), RetentionRules.DeletionDue(status, Changed, Periods));
        Assert.False(RetentionRules.IsExpired(status, Changed, held: false, Changed.AddDays(days).AddTicks(-1), Periods));
        Assert.True(RetentionRules.IsExpired(status, Changed, held: false, Changed.AddDays(days), Periods));
    }

    [Theory]
    [InlineData(TipStatus.New)]
    [InlineData(TipStatus.InReview)]
    [InlineData(TipStatus.Actionable)]
    [InlineData(TipStatus.Forwarded)]
    public void AnOpenStatus_IsNeverDeleted_NorWarned(TipStatus status)
    {
        Assert.Null(RetentionRules.DeletionDue(status, Changed, Periods));
        Assert.False(RetentionRules.IsExpired(status, Changed, held: false, Changed.AddYears(50), Periods));
        Assert.Null(RetentionRules.WarningDue(status, Changed, held: false, Changed.AddYears(50), Periods));
        Assert.Null(RetentionRules.ExpiredIfChangedBy(status, Changed, Periods));
    }

    [Fact]
    public void AHeldTip_IsNeverExpired_NorWarned()
    {
        Assert.False(RetentionRules.IsExpired(TipStatus.NotActionable, Changed, held: true, Changed.AddYears(10), Periods));
        Assert.Null(RetentionRules.WarningDue(TipStatus.NotActionable, Changed, held: true, Changed.AddDays(89), Periods));
    }

    [Theory]
    [InlineData(61.99, null)]
    [InlineData(62, 28)]
    [InlineData(75.99, 28)]
    [InlineData(76, 14)]
    [InlineData(83, 7)]
    [InlineData(86.5, 7)]
    [InlineData(87, 3)]
    [InlineData(89, 1)]
    [InlineData(89.99, 1)]
    [InlineData(90, null)]
    public void TheWarningDue_IsTheMostUrgentOneWhoseDayHasCome(double daysAfterChange, int? warning)
    {
        Assert.Equal(warning, RetentionRules.WarningDue(TipStatus.NotActionable, Changed, held: false, Changed.AddDays(daysAfterChange), Periods));
    }

    [Fact]
    public void TheQueryBound_AgreesWithTheRule()
    {
        var now = Changed.AddDays(90);
        var bound = RetentionRules.ExpiredIfChangedBy(TipStatus.NotActionable, now, Periods)!.Value;

        Assert.True(RetentionRules.IsExpired(TipStatus.NotActionable, bound, held: false, now, Periods));
        Assert.False(RetentionRules.IsExpired(TipStatus.NotActionable, bound.AddTicks(1), held: false, now, Periods));
    }
}
