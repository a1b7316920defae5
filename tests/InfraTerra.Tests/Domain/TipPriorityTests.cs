using InfraTerra.Web.Domain;

namespace InfraTerra.Tests.Domain;

public sealed class TipPriorityTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    private static readonly PriorityInputs Plain = new(
        ThreatToLife.None, NoticeStatus: null, NoticeHasCaution: false, SightedOn: null, TipsterSignals.None,
        SourceGrade: null, InformationGrade: null, ClusterSize: 0, AnswerUnread: false);

    private static readonly PriorityInputs Everything = new(
        ThreatToLife.None, NoticeStatus.Wanted, NoticeHasCaution: true, Today,
        TipsterSignals.ExactSightingDate | TipsterSignals.PlaceGiven | TipsterSignals.VerySure | TipsterSignals.SawInPerson | TipsterSignals.PhotoAttached,
        SourceReliability.A, InformationCredibility.NotInDoubt, ClusterSize: 1000, AnswerUnread: true);

    [Fact]
    public void ATipWithNothingSaid_ScoresZero_WithNoReason()
    {
        Assert.Equal(new Priority(0, PriorityReasons.None), TipPriority.Of(Plain, Today));
    }

    [Fact]
    public void ReportedThreatToLife_OutranksATipWithEveryOtherReason()
    {
        var everything = TipPriority.Of(Everything, Today);
        var threat = TipPriority.Of(Plain with { ThreatToLife = ThreatToLife.ReportedByTipster }, Today);

        Assert.Equal(PriorityReasons.ThreatToLifeReported, threat.Reasons);
        Assert.True(threat.Score > everything.Score);
        Assert.Equal(TipPriority.MostWithoutThreat, everything.Score);
    }

    [Fact]
    public void ReportedThreatToLife_WithTheWorstGrade_StillOutranksEveryTipWithout()
    {
        var threat = TipPriority.Of(
            Plain with { ThreatToLife = ThreatToLife.ReportedByTipster, SourceGrade = SourceReliability.C, InformationGrade = InformationCredibility.CannotBeCorroborated },
            Today);

        Assert.True(threat.Score > TipPriority.Of(Everything, Today).Score);
        Assert.True(TipPriority.ThreatReportedWeight + TipPriority.LeastWithoutThreat > TipPriority.MostWithoutThreat);
    }

    [Fact]
    public void ConfirmedThreatToLife_OutranksAReportedOneWithEverythingElse()
    {
        var confirmed = TipPriority.Of(Plain with { ThreatToLife = ThreatToLife.Confirmed, SourceGrade = SourceReliability.C }, Today);
        var reported = TipPriority.Of(Everything with { ThreatToLife = ThreatToLife.ReportedByTipster }, Today);

        Assert.True(confirmed.Score > reported.Score);
        Assert.True(confirmed.Reasons.HasFlag(PriorityReasons.ThreatToLifeConfirmed));
        Assert.False(confirmed.Reasons.HasFlag(PriorityReasons.ThreatToLifeReported));
    }

    [Theory]
    [InlineData(NoticeStatus.Wanted, true)]
    [InlineData(NoticeStatus.Located, true)]
    [InlineData(NoticeStatus.Arrested, false)]
    [InlineData(NoticeStatus.Withdrawn, false)]
    public void ANoticeStillSought_AddsItsWeight_AndItsCaution(NoticeStatus status, bool sought)
    {
        var priority = TipPriority.Of(Plain with { NoticeStatus = status, NoticeHasCaution = true }, Today);

        Assert.Equal(sought ? TipPriority.WantedNoticeWeight + TipPriority.NoticeCautionWeight : 0, priority.Score);
        Assert.Equal(sought ? PriorityReasons.AboutWantedNotice | PriorityReasons.NoticeCaution : PriorityReasons.None, priority.Reasons);
    }

    [Fact]
    public void AWantedNoticeWithoutCaution_AddsOnlyTheNotice()
    {
        var priority = TipPriority.Of(Plain with { NoticeStatus = NoticeStatus.Wanted }, Today);

        Assert.Equal(new Priority(TipPriority.WantedNoticeWeight, PriorityReasons.AboutWantedNotice), priority);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    [InlineData(-1, false)]
    public void ASighting_IsRecentForSevenDaysAfterItsDay(int daysAgo, bool recent)
    {
        var priority = TipPriority.Of(Plain with { SightedOn = Today.AddDays(-daysAgo) }, Today);

        Assert.Equal(recent ? new Priority(TipPriority.RecentSightingWeight, PriorityReasons.RecentSighting) : default, priority);
        Assert.Equal(recent, TipPriority.IsRecent(Today.AddDays(-daysAgo), Today));
    }

    [Fact]
    public void RecentSighting_AgesOut_WhenTheDayMovesOn()
    {
        var tip = Plain with { SightedOn = Today };

        Assert.True(TipPriority.Of(tip, Today.AddDays(7)).Reasons.HasFlag(PriorityReasons.RecentSighting));
        Assert.False(TipPriority.Of(tip, Today.AddDays(8)).Reasons.HasFlag(PriorityReasons.RecentSighting));
        Assert.Equal(Today.AddDays(1), TipPriority.OldestRecent(Today.AddDays(8)));
    }

    [Theory]
    [InlineData(TipsterSignals.ExactSightingDate | TipsterSignals.PlaceGiven, PriorityReasons.ExactDateAndPlace, TipPriority.ExactDateAndPlaceWeight)]
    [InlineData(TipsterSignals.ExactSightingDate, PriorityReasons.None, 0)]
    [InlineData(TipsterSignals.PlaceGiven, PriorityReasons.None, 0)]
    [InlineData(TipsterSignals.PhotoAttached, PriorityReasons.PhotoAttached, TipPriority.PhotoWeight)]
    [InlineData(TipsterSignals.VerySure, PriorityReasons.VerySure, TipPriority.VerySureWeight)]
    [InlineData(TipsterSignals.SawInPerson, PriorityReasons.SawInPerson, TipPriority.FirstHandWeight)]
    [InlineData(TipsterSignals.KnowsPersonally, PriorityReasons.SawInPerson, TipPriority.FirstHandWeight)]
    [InlineData(TipsterSignals.SawInPerson | TipsterSignals.KnowsPersonally, PriorityReasons.SawInPerson, TipPriority.FirstHandWeight)]
    public void WhatTheTipsterSaid_AddsItsReason(TipsterSignals signals, PriorityReasons reasons, int score)
    {
        Assert.Equal(new Priority(score, reasons), TipPriority.Of(Plain with { Signals = signals }, Today));
    }

    [Theory]
    [InlineData(SourceReliability.A, InformationCredibility.NotInDoubt, PriorityReasons.ReliableGrade, TipPriority.ReliableGradeWeight)]
    [InlineData(SourceReliability.B, InformationCredibility.KnownPersonally, PriorityReasons.ReliableGrade, TipPriority.ReliableGradeWeight)]
    [InlineData(SourceReliability.B, InformationCredibility.Corroborated, PriorityReasons.ReliableGrade, TipPriority.ReliableGradeWeight)]
    [InlineData(SourceReliability.A, InformationCredibility.CannotBeCorroborated, PriorityReasons.UnreliableGrade, TipPriority.UnreliableGradeWeight)]
    [InlineData(SourceReliability.C, InformationCredibility.NotInDoubt, PriorityReasons.UnreliableGrade, TipPriority.UnreliableGradeWeight)]
    [InlineData(SourceReliability.X, InformationCredibility.KnownPersonally, PriorityReasons.None, 0)]
    [InlineData(SourceReliability.X, InformationCredibility.CannotBeCorroborated, PriorityReasons.UnreliableGrade, TipPriority.UnreliableGradeWeight)]
    public void TheOfficersGrade_LiftsOrLowersTheTip(SourceReliability source, InformationCredibility information, PriorityReasons reasons, int score)
    {
        Assert.Equal(new Priority(score, reasons), TipPriority.Of(Plain with { SourceGrade = source, InformationGrade = information }, Today));
    }

    [Fact]
    public void AnUngradedTip_HasNoGradeReason()
    {
        Assert.Equal(PriorityReasons.None, TipPriority.Of(Plain with { SourceGrade = SourceReliability.A }, Today).Reasons);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 15)]
    [InlineData(6, 30)]
    [InlineData(10, 50)]
    [InlineData(40, 50)]
    public void ACluster_FromThreeTipsUp_AddsFivePerTip_UpToFifty(int size, int score)
    {
        var priority = TipPriority.Of(Plain with { ClusterSize = size }, Today);

        Assert.Equal(score, priority.Score);
        Assert.Equal(score > 0, priority.Reasons.HasFlag(PriorityReasons.LargeCluster));
    }

    [Fact]
    public void AnUnreadAnswer_AddsItsWeight_UntilRead()
    {
        Assert.Equal(new Priority(TipPriority.UnreadAnswerWeight, PriorityReasons.UnreadAnswer), TipPriority.Of(Plain with { AnswerUnread = true }, Today));
        Assert.Equal(default, TipPriority.Of(Plain with { AnswerUnread = false }, Today));
    }
}

public sealed class TipsterSignalRulesTests
{
    private static readonly DateOnly Day = new(2026, 11, 28);

    [Fact]
    public void AVerySureFirstHandTip_WithExactDatePlaceAndPhoto_HasEverySignal()
    {
        var content = new TipContent("Seen at the market", "North gate") { HowKnown = HowKnown.SawInPerson, Certainty = Certainty.VerySure };

        var signals = TipsterSignalRules.Of(content, Day, ["application/pdf", "image/jpeg"]);

        Assert.Equal(
            TipsterSignals.ExactSightingDate | TipsterSignals.PlaceGiven | TipsterSignals.VerySure | TipsterSignals.SawInPerson | TipsterSignals.PhotoAttached,
            signals);
    }

    [Fact]
    public void AnApproximateOrMissingDate_IsNotExact()
    {
        var approximate = new TipContent("x", null) { SightingDateIsApproximate = true };

        Assert.Equal(TipsterSignals.None, TipsterSignalRules.Of(approximate, Day, []));
        Assert.Equal(TipsterSignals.None, TipsterSignalRules.Of(new TipContent("x", null), null, []));
        Assert.Equal(TipsterSignals.ExactSightingDate, TipsterSignalRules.Of(new TipContent("x", null), Day, []));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("Harbour road", true)]
    public void APlace_IsGivenOnlyWhenWritten(string? place, bool given)
    {
        Assert.Equal(given, TipsterSignalRules.Of(new TipContent("x", place), null, []).HasFlag(TipsterSignals.PlaceGiven));
    }

    [Theory]
    [InlineData(HowKnown.SawInPerson, TipsterSignals.SawInPerson)]
    [InlineData(HowKnown.KnowPersonally, TipsterSignals.KnowsPersonally)]
    [InlineData(HowKnown.SawPhotoOrVideo, TipsterSignals.None)]
    [InlineData(HowKnown.HeardFromSomeone, TipsterSignals.None)]
    [InlineData(HowKnown.Other, TipsterSignals.None)]
    public void HowTheyKnow_CountsOnlyFirstHand(HowKnown howKnown, TipsterSignals expected)
    {
        Assert.Equal(expected, TipsterSignalRules.Of(new TipContent("x", null) { HowKnown = howKnown }, null, []));
    }

    [Theory]
    [InlineData(Certainty.VerySure, TipsterSignals.VerySure)]
    [InlineData(Certainty.FairlySure, TipsterSignals.None)]
    [InlineData(Certainty.NotSure, TipsterSignals.None)]
    public void OnlyVerySure_IsASignal(Certainty certainty, TipsterSignals expected)
    {
        Assert.Equal(expected, TipsterSignalRules.Of(new TipContent("x", null) { Certainty = certainty }, null, []));
    }

    [Fact]
    public void APdfAlone_IsNotAPhoto()
    {
        Assert.Equal(TipsterSignals.None, TipsterSignalRules.Of(new TipContent("x", null), null, ["application/pdf"]));
        Assert.Equal(TipsterSignals.PhotoAttached, TipsterSignalRules.Of(new TipContent("x", null), null, ["image/png"]));
    }
}
