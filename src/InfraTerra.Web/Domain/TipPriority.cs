namespace InfraTerra.Web.Domain;

/// <summary>
/// What the tipster's sealed answers say that the priority score needs, recorded at intake as flags.
/// </summary>
[Flags]
public enum TipsterSignals
{
    None = 0,
    ExactSightingDate = 1 << 0,
    PlaceGiven = 1 << 1,
    VerySure = 1 << 2,
    SawInPerson = 1 << 3,
    KnowsPersonally = 1 << 4,
    PhotoAttached = 1 << 5,
}

/// <summary>The reasons behind a tip's priority score, stored beside it and shown on the queue and the tip.</summary>
[Flags]
public enum PriorityReasons
{
    None = 0,
    ThreatToLifeConfirmed = 1 << 0,
    ThreatToLifeReported = 1 << 1,
    AboutWantedNotice = 1 << 2,
    NoticeCaution = 1 << 3,
    RecentSighting = 1 << 4,
    ExactDateAndPlace = 1 << 5,
    PhotoAttached = 1 << 6,
    VerySure = 1 << 7,
    SawInPerson = 1 << 8,
    ReliableGrade = 1 << 9,
    UnreliableGrade = 1 << 10,
    LargeCluster = 1 << 11,
    UnreadAnswer = 1 << 12,
}

/// <summary>Everything the score depends on: plain columns of the tip, its notice and its cluster.</summary>
public sealed record PriorityInputs(
    ThreatToLife ThreatToLife,
    NoticeStatus? NoticeStatus,
    bool NoticeHasCaution,
    DateOnly? SightedOn,
    TipsterSignals Signals,
    SourceReliability? SourceGrade,
    InformationCredibility? InformationGrade,
    int ClusterSize,
    bool AnswerUnread);

public readonly record struct Priority(int Score, PriorityReasons Reasons);

/// <summary>
/// The priority score's rules, in one place. Threat to life outranks everything else by
/// construction: its weight is larger than every other weight added together.
/// </summary>
public static class TipPriority
{
    public const int ThreatConfirmedWeight = 100_000;
    public const int ThreatReportedWeight = 50_000;

    public static Priority Of(PriorityInputs tip, DateOnly today)
    {
        var score = 0;
        var reasons = PriorityReasons.None;

        void Add(PriorityReasons reason, int weight)
        {
            score += weight;
            reasons |= reason;
        }

        if (tip.ThreatToLife == ThreatToLife.Confirmed)
        {
            Add(PriorityReasons.ThreatToLifeConfirmed, ThreatConfirmedWeight);
        }
        else if (tip.ThreatToLife == ThreatToLife.ReportedByTipster)
        {
            Add(PriorityReasons.ThreatToLifeReported, ThreatReportedWeight);
        }

        if (tip.NoticeStatus is Domain.NoticeStatus.Wanted or Domain.NoticeStatus.Located)
        {
            Add(PriorityReasons.AboutWantedNotice, 100);
            if (tip.NoticeHasCaution)
            {
                Add(PriorityReasons.NoticeCaution, 30);
            }
        }

        if (tip.SightedOn is { } sighted && sighted <= today && today.DayNumber - sighted.DayNumber <= 7)
        {
            Add(PriorityReasons.RecentSighting, 60);
        }

        if (tip.Signals.HasFlag(TipsterSignals.ExactSightingDate) && tip.Signals.HasFlag(TipsterSignals.PlaceGiven))
        {
            Add(PriorityReasons.ExactDateAndPlace, 40);
        }

        if (tip.Signals.HasFlag(TipsterSignals.PhotoAttached))
        {
            Add(PriorityReasons.PhotoAttached, 20);
        }

        if (tip.Signals.HasFlag(TipsterSignals.VerySure))
        {
            Add(PriorityReasons.VerySure, 20);
        }

        if (tip.Signals.HasFlag(TipsterSignals.SawInPerson))
        {
            Add(PriorityReasons.SawInPerson, 20);
        }

        if (tip.SourceGrade is SourceReliability.A or SourceReliability.B
            && tip.InformationGrade is InformationCredibility.NotInDoubt or InformationCredibility.KnownPersonally)
        {
            Add(PriorityReasons.ReliableGrade, 80);
        }
        else if (tip.SourceGrade is SourceReliability.C || tip.InformationGrade is InformationCredibility.CannotBeCorroborated)
        {
            Add(PriorityReasons.UnreliableGrade, -60);
        }

        if (tip.ClusterSize >= 5)
        {
            Add(PriorityReasons.LargeCluster, Math.Min(50, tip.ClusterSize));
        }

        if (tip.AnswerUnread)
        {
            Add(PriorityReasons.UnreadAnswer, 40);
        }

        return new Priority(score, reasons);
    }
}
