using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Domain;

public sealed class TipDecisionRulesTests
{
    [Theory]
    [InlineData(TipStatus.New, TipStatus.InReview)]
    [InlineData(TipStatus.InReview, TipStatus.Actionable)]
    [InlineData(TipStatus.Actionable, TipStatus.Forwarded)]
    [InlineData(TipStatus.New, TipStatus.Actionable)]
    public void Status_OpenToOpen_NeedsNoReason(TipStatus from, TipStatus to)
    {
        Assert.True(StatusRules.MayFollow(from, to));
        Assert.False(StatusRules.NeedsReason(from, to));
        Assert.Null(StatusRules.Check(from, to, null));
    }

    [Theory]
    [InlineData(TipStatus.InReview, TipStatus.Duplicate)]
    [InlineData(TipStatus.New, TipStatus.NotActionable)]
    [InlineData(TipStatus.Actionable, TipStatus.Closed)]
    public void Status_Closing_NeedsAReason(TipStatus from, TipStatus to)
    {
        Assert.NotNull(StatusRules.Check(from, to, null));
        Assert.NotNull(StatusRules.Check(from, to, "   "));
        Assert.Null(StatusRules.Check(from, to, "Same sighting as an earlier tip."));
    }

    [Theory]
    [InlineData(TipStatus.Closed)]
    [InlineData(TipStatus.Duplicate)]
    [InlineData(TipStatus.NotActionable)]
    public void Status_ReopeningAClosedTip_NeedsAReason(TipStatus closed)
    {
        Assert.Equal("Reopening a closed tip needs a reason.", StatusRules.Check(closed, TipStatus.InReview, null));
        Assert.Null(StatusRules.Check(closed, TipStatus.InReview, "New evidence came in."));
    }

    [Fact]
    public void Status_NothingLeadsBackToNew_NorToTheSameStatus()
    {
        foreach (var from in Enum.GetValues<TipStatus>())
        {
            Assert.DoesNotContain(TipStatus.New, StatusRules.Next(from));
            Assert.DoesNotContain(from, StatusRules.Next(from));
            Assert.NotNull(StatusRules.Check(from, TipStatus.New, "a reason"));
            Assert.NotNull(StatusRules.Check(from, from, "a reason"));
        }

        Assert.NotNull(StatusRules.Check(TipStatus.New, (TipStatus)99, "a reason"));
    }

    [Fact]
    public void Status_ReasonLongerThanTheLimit_IsRefused() =>
        Assert.NotNull(StatusRules.Check(TipStatus.New, TipStatus.Closed, new string('x', StatusRules.ReasonMax + 1)));

    [Theory]
    [InlineData(SourceReliability.A, InformationCredibility.NotInDoubt, "A1")]
    [InlineData(SourceReliability.B, InformationCredibility.KnownPersonally, "B2")]
    [InlineData(SourceReliability.C, InformationCredibility.Corroborated, "C3")]
    [InlineData(SourceReliability.X, InformationCredibility.CannotBeCorroborated, "X4")]
    public void Grade_IsShownAsLetterAndDigit(SourceReliability source, InformationCredibility information, string code) =>
        Assert.Equal(code, GradingRules.Code(source, information));

    [Fact]
    public void Grade_NeedsBothParts_NoteIsOptional()
    {
        Assert.NotNull(GradingRules.Check(null, InformationCredibility.Corroborated, null));
        Assert.NotNull(GradingRules.Check(SourceReliability.B, null, null));
        Assert.NotNull(GradingRules.Check((SourceReliability)9, InformationCredibility.Corroborated, null));
        Assert.NotNull(GradingRules.Check(SourceReliability.B, (InformationCredibility)0, null));
        Assert.Null(GradingRules.Check(SourceReliability.B, InformationCredibility.Corroborated, null));
        Assert.Null(GradingRules.Check(SourceReliability.B, InformationCredibility.Corroborated, "Photo matches."));
        Assert.Null(GradingRules.Code(SourceReliability.B, null));
    }

    [Fact]
    public void ThreatToLife_ClearingTheTipstersFlag_NeedsAReason()
    {
        Assert.Equal("Clearing a threat to life the tipster reported needs a reason.", ThreatToLifeRules.Check(ThreatToLife.ReportedByTipster, ThreatDecision.Clear, null));
        Assert.Null(ThreatToLifeRules.Check(ThreatToLife.ReportedByTipster, ThreatDecision.Clear, "The danger was last year."));
        Assert.NotNull(ThreatToLifeRules.Check(ThreatToLife.Confirmed, ThreatDecision.Clear, ""));
        Assert.Equal(ThreatToLife.None, ThreatToLifeRules.After(ThreatDecision.Clear));
    }

    [Fact]
    public void ThreatToLife_OfficerConfirms_WithOrWithoutAReason()
    {
        Assert.Null(ThreatToLifeRules.Check(ThreatToLife.ReportedByTipster, ThreatDecision.Confirm, null));
        Assert.Null(ThreatToLifeRules.Check(ThreatToLife.None, ThreatDecision.Confirm, null));
        Assert.NotNull(ThreatToLifeRules.Check(ThreatToLife.Confirmed, ThreatDecision.Confirm, null));
        Assert.NotNull(ThreatToLifeRules.Check(ThreatToLife.None, ThreatDecision.Clear, "nothing to clear"));
        Assert.Equal(ThreatToLife.Confirmed, ThreatToLifeRules.After(ThreatDecision.Confirm));
    }

    [Fact]
    public void TriageOrder_ThreatToLifeOutranksEverything_ThenNewestFirst()
    {
        var hour = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
        var oldThreat = NewTip(hour.AddDays(-30), ThreatToLife.ReportedByTipster);
        var confirmed = NewTip(hour.AddDays(-40), ThreatToLife.Confirmed);
        var newest = NewTip(hour, ThreatToLife.None);
        var older = NewTip(hour.AddHours(-1), ThreatToLife.None);
        Tip[] tips = [older, newest, confirmed, oldThreat];

        var inMemory = tips.OrderBy(TriageOrder.Key).ToList();
        var asQuery = tips.AsQueryable().InTriageOrder().ToList();

        Assert.Equal([oldThreat, confirmed, newest, older], inMemory);
        Assert.Equal(inMemory, asQuery);
    }

    [Fact]
    public void Forward_NeedsAKnownDeskOtherThanItsOwn_AndAReason()
    {
        Assert.Null(ForwardRules.Check("BR", "KE", [], "Seen in Nairobi."));
        Assert.Null(ForwardRules.Check("BR", Tip.GeneralDesk, [], "No notice fits."));
        Assert.NotNull(ForwardRules.Check("BR", "BR", [], "same desk"));
        Assert.NotNull(ForwardRules.Check("BR", "KE", [], " "));
        Assert.NotNull(ForwardRules.Check("BR", "ZZ", [], "unknown desk"));
        Assert.NotNull(ForwardRules.Check("BR", null, [], "no desk"));
    }

    [Fact]
    public void Forward_OffersTheWarrantCountriesFirst_ThenGeneral_NeverItsOwnDesk()
    {
        var targets = ForwardRules.Targets("BR", ["BR", "KE", "TZ", "KE"], ["AR", "BR", "KE", "TZ", "ZA"]);

        Assert.Equal(["KE", "TZ", Tip.GeneralDesk, "AR", "ZA"], targets);
    }

    private static Tip NewTip(DateTime submittedAtUtc, ThreatToLife threat) =>
        new() { Id = Guid.NewGuid(), SubmittedAtUtc = submittedAtUtc, ThreatToLife = threat };
}
