namespace InfraTerra.Web.Domain;

public enum Sex
{
    Unknown = 0,
    Female = 1,
    Male = 2,
}

public enum CrimeCategory
{
    Wildlife = 1,
    Timber = 2,
    Fisheries = 3,
    Pollution = 4,
    Other = 5,
}

public enum NoticeStatus
{
    Wanted = 1,
    Located = 2,
    Arrested = 3,
    Withdrawn = 4,
}

public enum TipStatus
{
    New = 1,
    InReview = 2,
    Actionable = 3,
    Forwarded = 4,
    NotActionable = 5,
    Duplicate = 6,
    Closed = 7,
}

/// <summary>What a tipster sees; derived from <see cref="TipStatus"/>, never stored.</summary>
public enum PublicTipStatus
{
    Received = 1,
    UnderReview = 2,
    Closed = 3,
}

/// <summary>A tip closed by its notice's status rather than by an officer.</summary>
public enum TipClosure
{
    NoticeArrested = 1,
    NoticeWithdrawn = 2,
}

/// <summary>What a tip or a cluster led to.</summary>
public enum OutcomeKind
{
    LocationConfirmed = 1,
    Arrest = 2,
    AssetsSeized = 3,
    NoResult = 4,
}
