using System.Globalization;
using InfraTerra.Web.Domain;

namespace InfraTerra.Web.Features.Triage;

/// <summary>The priority score's reasons and the deadline states in plain words, for the queue and the tip view.</summary>
public static class PriorityText
{
    /// <summary>Every reason, strongest first, with its short label.</summary>
    public static readonly IReadOnlyList<(PriorityReasons Reason, string Label)> Labels =
    [
        (PriorityReasons.ThreatToLifeConfirmed, "Threat to life (confirmed)"),
        (PriorityReasons.ThreatToLifeReported, "Threat to life (reported by the tipster)"),
        (PriorityReasons.AboutWantedNotice, "About a wanted person"),
        (PriorityReasons.ReliableGrade, "Graded reliable"),
        (PriorityReasons.RecentSighting, string.Create(CultureInfo.InvariantCulture, $"Sighting in the last {TipPriority.RecentSightingDays} days")),
        (PriorityReasons.LargeCluster, string.Create(CultureInfo.InvariantCulture, $"{TipPriority.LargeClusterSize} or more tips say the same")),
        (PriorityReasons.ExactDateAndPlace, "Exact date and place"),
        (PriorityReasons.UnreadAnswer, "Unread answer from the tipster"),
        (PriorityReasons.NoticeCaution, "Caution on the notice"),
        (PriorityReasons.PhotoAttached, "Photo attached"),
        (PriorityReasons.VerySure, "Tipster is very sure"),
        (PriorityReasons.SawInPerson, "Saw the person or knows them"),
        (PriorityReasons.UnreliableGrade, "Graded unreliable"),
    ];

    /// <summary>The short labels of the reasons set in <paramref name="reasons"/>, strongest first; empty for none.</summary>
    public static IReadOnlyList<string> Describe(PriorityReasons reasons) =>
        [.. Labels.Where(l => (reasons & l.Reason) != 0).Select(l => l.Label)];

    public static string Describe(DeadlineState state) => state switch
    {
        DeadlineState.Met => "Met",
        DeadlineState.Running => "On time",
        DeadlineState.DueSoon => "Due soon",
        DeadlineState.Overdue => "Overdue",
        _ => "",
    };
}
