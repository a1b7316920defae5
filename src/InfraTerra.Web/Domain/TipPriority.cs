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
