namespace InfraTerra.Web.Domain;

/// <summary>What an outcome may say: its kind, and a day neither in the future nor before the tips it came from.</summary>
public static class OutcomeRules
{
    /// <summary>No outcome is older than this, whatever the tips say (a mistyped year).</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    public static string Label(OutcomeKind kind) => kind switch
    {
        OutcomeKind.LocationConfirmed => "Location confirmed",
        OutcomeKind.Arrest => "Arrest",
        OutcomeKind.AssetsSeized => "Assets seized",
        OutcomeKind.NoResult => "No result",
        _ => kind.ToString(),
    };

    /// <summary>The audit's words for an outcome: its kind and day, nothing else.</summary>
    public static string AuditDetail(OutcomeKind kind, DateOnly day) =>
        $"{Label(kind)}, {day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Null when the day can be recorded; otherwise why not, in words for the officer.</summary>
    public static string? CheckDay(DateOnly day, DateOnly firstSubmittedOn, DateOnly today)
    {
        var floor = firstSubmittedOn > Earliest ? firstSubmittedOn : Earliest;
        if (day > today)
        {
            return "The day it happened cannot be in the future.";
        }

        return day < floor
            ? $"The day it happened cannot be before {floor.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}, when the first tip it came from was received."
            : null;
    }
}
