namespace InfraTerra.Web.Domain;

/// <summary>The source's reliability on the 4×4 scale of European police intelligence.</summary>
public enum SourceReliability
{
    /// <summary>No doubt of its authenticity and reliability, or reliable every time so far.</summary>
    A = 1,

    /// <summary>Reliable in most instances.</summary>
    B = 2,

    /// <summary>Unreliable in most instances.</summary>
    C = 3,

    /// <summary>Cannot be assessed.</summary>
    X = 4,
}

/// <summary>The information's credibility on the same scale.</summary>
public enum InformationCredibility
{
    /// <summary>Its accuracy is not in doubt.</summary>
    NotInDoubt = 1,

    /// <summary>Known personally to the source.</summary>
    KnownPersonally = 2,

    /// <summary>Not known personally to the source, but corroborated.</summary>
    Corroborated = 3,

    /// <summary>Not known personally to the source and cannot be corroborated.</summary>
    CannotBeCorroborated = 4,
}

/// <summary>Whether someone's life is in danger now. Either kind puts the tip above every other.</summary>
public enum ThreatToLife
{
    None = 0,

    /// <summary>The tipster ticked "someone is in danger now"; an officer confirms or clears it.</summary>
    ReportedByTipster = 1,

    /// <summary>An officer judged it so.</summary>
    Confirmed = 2,
}
