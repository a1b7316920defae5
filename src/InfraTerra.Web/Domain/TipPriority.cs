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

    /// <summary>First-hand: the tipster saw the person or knows them personally.</summary>
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
/// construction: its weight is larger than every other weight added together, and a confirmed
/// threat outranks a reported one with everything else added.
/// </summary>
public static class TipPriority
{
    public const int ThreatConfirmedWeight = 100_000;
    public const int ThreatReportedWeight = 50_000;
    public const int WantedNoticeWeight = 100;
    public const int NoticeCautionWeight = 30;
    public const int RecentSightingWeight = 60;
    public const int ExactDateAndPlaceWeight = 40;
    public const int PhotoWeight = 20;
    public const int VerySureWeight = 20;
    public const int FirstHandWeight = 20;
    public const int ReliableGradeWeight = 80;
    public const int UnreliableGradeWeight = -60;
    public const int UnreadAnswerWeight = 40;

    /// <summary>A sighting this many days old or newer (today included) is recent.</summary>
    public const int RecentSightingDays = 7;

    /// <summary>A cluster this size or larger corroborates its tips; each tip adds <see cref="ClusterWeightPerTip"/>, up to <see cref="ClusterMaxWeight"/>.</summary>
    public const int LargeClusterSize = 3;
    public const int ClusterWeightPerTip = 5;
    public const int ClusterMaxWeight = 50;

    /// <summary>The most every reason but threat to life can add together: what the threat weights must exceed.</summary>
    public const int MostWithoutThreat =
        WantedNoticeWeight + NoticeCautionWeight + RecentSightingWeight + ExactDateAndPlaceWeight + PhotoWeight
        + VerySureWeight + FirstHandWeight + ReliableGradeWeight + ClusterMaxWeight + UnreadAnswerWeight;

    /// <summary>The least they can add together (the only negative weight).</summary>
    public const int LeastWithoutThreat = UnreliableGradeWeight;

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

        // Located still means sought (not yet arrested); after an arrest or a withdrawal the notice adds nothing.
        if (tip.NoticeStatus is Domain.NoticeStatus.Wanted or Domain.NoticeStatus.Located)
        {
            Add(PriorityReasons.AboutWantedNotice, WantedNoticeWeight);
            if (tip.NoticeHasCaution)
            {
                Add(PriorityReasons.NoticeCaution, NoticeCautionWeight);
            }
        }

        if (IsRecent(tip.SightedOn, today))
        {
            Add(PriorityReasons.RecentSighting, RecentSightingWeight);
        }

        if (tip.Signals.HasFlag(TipsterSignals.ExactSightingDate) && tip.Signals.HasFlag(TipsterSignals.PlaceGiven))
        {
            Add(PriorityReasons.ExactDateAndPlace, ExactDateAndPlaceWeight);
        }

        if (tip.Signals.HasFlag(TipsterSignals.PhotoAttached))
        {
            Add(PriorityReasons.PhotoAttached, PhotoWeight);
        }

        if (tip.Signals.HasFlag(TipsterSignals.VerySure))
        {
            Add(PriorityReasons.VerySure, VerySureWeight);
        }

        if ((tip.Signals & (TipsterSignals.SawInPerson | TipsterSignals.KnowsPersonally)) != 0)
        {
            Add(PriorityReasons.SawInPerson, FirstHandWeight);
        }

        // The officer's grade speaks louder than the tipster's own words: a reliable source with
        // information that is not in doubt, first-hand or corroborated lifts the tip; an unreliable
        // source or information nobody can corroborate lowers it.
        if (tip.SourceGrade is SourceReliability.A or SourceReliability.B
            && tip.InformationGrade is InformationCredibility.NotInDoubt or InformationCredibility.KnownPersonally or InformationCredibility.Corroborated)
        {
            Add(PriorityReasons.ReliableGrade, ReliableGradeWeight);
        }
        else if (tip.SourceGrade is SourceReliability.C || tip.InformationGrade is InformationCredibility.CannotBeCorroborated)
        {
            Add(PriorityReasons.UnreliableGrade, UnreliableGradeWeight);
        }

        if (tip.ClusterSize >= LargeClusterSize)
        {
            Add(PriorityReasons.LargeCluster, Math.Min(ClusterMaxWeight, tip.ClusterSize * ClusterWeightPerTip));
        }

        if (tip.AnswerUnread)
        {
            Add(PriorityReasons.UnreadAnswer, UnreadAnswerWeight);
        }

        return new Priority(score, reasons);
    }

    /// <summary>Whether a sighting on <paramref name="sightedOn"/> counts as recent on <paramref name="today"/>; the only rule that moves with time.</summary>
    public static bool IsRecent(DateOnly? sightedOn, DateOnly today) =>
        sightedOn is { } sighted && sighted <= today && today.DayNumber - sighted.DayNumber <= RecentSightingDays;

    /// <summary>The oldest sighting date that is still recent on <paramref name="today"/>.</summary>
    public static DateOnly OldestRecent(DateOnly today) => today.AddDays(-RecentSightingDays);
}

/// <summary>What the score needs from what the tipster wrote, taken once at intake while the content is still open.</summary>
public static class TipsterSignalRules
{
    public static TipsterSignals Of(TipContent content, DateOnly? sightedOn, IEnumerable<string> attachmentContentTypes)
    {
        var signals = TipsterSignals.None;
        if (sightedOn is not null && !content.SightingDateIsApproximate)
        {
            signals |= TipsterSignals.ExactSightingDate;
        }

        if (!string.IsNullOrWhiteSpace(content.Place))
        {
            signals |= TipsterSignals.PlaceGiven;
        }

        if (content.Certainty == Certainty.VerySure)
        {
            signals |= TipsterSignals.VerySure;
        }

        signals |= content.HowKnown switch
        {
            HowKnown.SawInPerson => TipsterSignals.SawInPerson,
            HowKnown.KnowPersonally => TipsterSignals.KnowsPersonally,
            _ => TipsterSignals.None,
        };

        if (attachmentContentTypes.Any(type => type.StartsWith("image/", StringComparison.OrdinalIgnoreCase)))
        {
            signals |= TipsterSignals.PhotoAttached;
        }

        return signals;
    }
}
