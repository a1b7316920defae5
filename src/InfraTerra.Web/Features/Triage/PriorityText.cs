using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Triage;

/// <summary>Short labels for the reasons behind a priority score, in the order of their weight.</summary>
public static class PriorityText
{
    private static readonly IReadOnlyList<(PriorityReasons Reason, string Label)> Labels =
    [
        (PriorityReasons.ThreatToLifeConfirmed, "Threat to life"),
        (PriorityReasons.ThreatToLifeReported, "Threat to life (reported)"),
        (PriorityReasons.AboutWantedNotice, "Wanted notice"),
        (PriorityReasons.NoticeCaution, "Caution"),
        (PriorityReasons.ReliableGrade, "Reliable grade"),
        (PriorityReasons.RecentSighting, "Recent sighting"),
        (PriorityReasons.LargeCluster, "Many similar tips"),
        (PriorityReasons.ExactDateAndPlace, "Exact date and place"),
        (PriorityReasons.UnreadAnswer, "Unread answer"),
        (PriorityReasons.PhotoAttached, "Photo"),
        (PriorityReasons.VerySure, "Very sure"),
        (PriorityReasons.SawInPerson, "Seen in person"),
        (PriorityReasons.UnreliableGrade, "Unreliable grade"),
    ];

    public static IReadOnlyList<string> Describe(PriorityReasons reasons) =>
        [.. Labels.Where(l => reasons.HasFlag(l.Reason)).Select(l => l.Label)];
}
