namespace InfraTerra.Web.Domain;

/// <summary>What the tipster wrote: serialized and sealed, never stored in plain.</summary>
public sealed record TipContent(string Description, string? Place)
{
    public bool SightingDateIsApproximate { get; init; }
    public HowKnown? HowKnown { get; init; }
    public Certainty? Certainty { get; init; }

    /// <summary>Only when the tipster chose to be contactable; otherwise null, never a default.</summary>
    public string? ContactDetails { get; init; }
}

public enum HowKnown
{
    SawInPerson = 1,
    KnowPersonally = 2,
    SawPhotoOrVideo = 3,
    HeardFromSomeone = 4,
    Other = 5,
}

public enum Certainty
{
    VerySure = 1,
    FairlySure = 2,
    NotSure = 3,
}
