namespace InfraTerra.Web.Domain;

/// <summary>Which officer status may follow which, and when a reason must be given.</summary>
public static class StatusRules
{
    public const int ReasonMax = 2000;

    /// <summary>The statuses that end the work on a tip; leaving one is a reopening.</summary>
    public static bool IsClosing(TipStatus status) =>
        status is TipStatus.NotActionable or TipStatus.Duplicate or TipStatus.Closed;

    /// <summary>
    /// New is only where a tip starts, so nothing leads back to it; every other status may follow
    /// any other (an analyst's work does not run in a straight line).
    /// </summary>
    public static bool MayFollow(TipStatus from, TipStatus to) =>
        from != to && to != TipStatus.New && Enum.IsDefined(to);

    /// <summary>Closing a tip, and reopening one, must say why.</summary>
    public static bool NeedsReason(TipStatus from, TipStatus to) => IsClosing(to) || IsClosing(from);

    /// <summary>The statuses an officer may choose next.</summary>
    public static IReadOnlyList<TipStatus> Next(TipStatus from) => [.. Enum.GetValues<TipStatus>().Where(to => MayFollow(from, to))];

    /// <summary>Null when the change is allowed; otherwise why not, in words for the officer.</summary>
    public static string? Check(TipStatus from, TipStatus to, string? reason)
    {
        if (from == to)
        {
            return $"The tip is already {Label(to)}.";
        }

        if (!MayFollow(from, to))
        {
            return $"A tip cannot go from {Label(from)} to {Label(to)}.";
        }

        if (NeedsReason(from, to) && string.IsNullOrWhiteSpace(reason))
        {
            return IsClosing(from) && !IsClosing(to)
                ? "Reopening a closed tip needs a reason."
                : $"Please give a reason for {Label(to)}.";
        }

        return reason is { Length: > ReasonMax } ? $"Please keep the reason under {ReasonMax} characters." : null;
    }

    public static string Label(TipStatus status) => status switch
    {
        TipStatus.New => "New",
        TipStatus.InReview => "In review",
        TipStatus.Actionable => "Actionable",
        TipStatus.Forwarded => "Forwarded",
        TipStatus.NotActionable => "Not actionable",
        TipStatus.Duplicate => "Duplicate",
        TipStatus.Closed => "Closed",
        _ => status.ToString(),
    };
}

/// <summary>The 4×4 grade (source reliability and information credibility), shown as "B2".</summary>
public static class GradingRules
{
    public const int NoteMax = 2000;

    public static string? Code(SourceReliability? source, InformationCredibility? information) =>
        source is { } s && information is { } i ? $"{s}{(int)i}" : null;

    /// <summary>Null when the grade may be given; a grade needs both parts, the note is optional.</summary>
    public static string? Check(SourceReliability? source, InformationCredibility? information, string? note)
    {
        if (source is null || !Enum.IsDefined(source.Value))
        {
            return "Please grade the source's reliability (A, B, C or X).";
        }

        if (information is null || !Enum.IsDefined(information.Value))
        {
            return "Please grade the information's credibility (1 to 4).";
        }

        return note is { Length: > NoteMax } ? $"Please keep the note under {NoteMax} characters." : null;
    }

    public static string Meaning(SourceReliability source) => source switch
    {
        SourceReliability.A => "No doubt of its authenticity and reliability, or reliable every time so far",
        SourceReliability.B => "Reliable in most instances",
        SourceReliability.C => "Unreliable in most instances",
        _ => "Cannot be assessed",
    };

    public static string Meaning(InformationCredibility information) => information switch
    {
        InformationCredibility.NotInDoubt => "Its accuracy is not in doubt",
        InformationCredibility.KnownPersonally => "Known personally to the source",
        InformationCredibility.Corroborated => "Not known personally to the source, but corroborated",
        _ => "Not known personally to the source and cannot be corroborated",
    };
}

/// <summary>What an officer does with the threat-to-life flag.</summary>
public enum ThreatDecision
{
    Confirm = 1,
    Clear = 2,
}

public static class ThreatToLifeRules
{
    public const int ReasonMax = 2000;

    public static ThreatToLife After(ThreatDecision decision) =>
        decision == ThreatDecision.Confirm ? ThreatToLife.Confirmed : ThreatToLife.None;

    /// <summary>
    /// An officer confirms a flag (the tipster's or a new one) or clears it. Clearing needs a reason:
    /// it takes the tip down from the top of every queue, and a tipster's word that someone is in
    /// danger must not vanish without one.
    /// </summary>
    public static string? Check(ThreatToLife current, ThreatDecision decision, string? reason)
    {
        if (!Enum.IsDefined(decision))
        {
            return "Please choose to confirm or to clear the threat to life.";
        }

        if (decision == ThreatDecision.Confirm && current == ThreatToLife.Confirmed)
        {
            return "The threat to life is already confirmed.";
        }

        if (decision == ThreatDecision.Clear && current == ThreatToLife.None)
        {
            return "There is no threat to life to clear.";
        }

        if (decision == ThreatDecision.Clear && string.IsNullOrWhiteSpace(reason))
        {
            return current == ThreatToLife.ReportedByTipster
                ? "Clearing a threat to life the tipster reported needs a reason."
                : "Clearing a threat to life needs a reason.";
        }

        return reason is { Length: > ReasonMax } ? $"Please keep the reason under {ReasonMax} characters." : null;
    }

    public static string Label(ThreatToLife threat) => threat switch
    {
        ThreatToLife.ReportedByTipster => "Reported by the tipster (not yet confirmed)",
        ThreatToLife.Confirmed => "Confirmed by an officer",
        _ => "None",
    };
}

/// <summary>
/// The order of every triage queue: a threat to life above all else, then the newest first; within
/// one hour by the random id (arrival order is a rank a proxy log could re-identify, ADR 0005).
/// </summary>
public static class TriageOrder
{
    /// <summary>Ascending key for tips held in memory.</summary>
    public static (int Threat, long NewestFirst, Guid Id) Key(Tip tip) => Key(tip.ThreatToLife, tip.SubmittedAtUtc, tip.Id);

    public static (int Threat, long NewestFirst, Guid Id) Key(ThreatToLife threat, DateTime submittedAtUtc, Guid id) =>
        (threat == ThreatToLife.None ? 1 : 0, -submittedAtUtc.Ticks, id);

    /// <summary>The same order for a database query.</summary>
    public static IOrderedQueryable<Tip> InTriageOrder(this IQueryable<Tip> tips) => tips
        .OrderBy(t => t.ThreatToLife == ThreatToLife.None ? 1 : 0)
        .ThenByDescending(t => t.SubmittedAtUtc)
        .ThenBy(t => t.Id);
}

/// <summary>Where a tip may be forwarded: a country that issued one of its notice's warrants, General, or any country.</summary>
public static class ForwardRules
{
    public const int ReasonMax = 2000;

    public static bool IsDesk(string? desk) => desk == Tip.GeneralDesk || Countries.IsKnown(desk);

    public static string? Check(string currentDesk, string? target, IEnumerable<string> warrantCountries, string? reason)
    {
        if (string.IsNullOrWhiteSpace(target) || !(IsDesk(target) || warrantCountries.Contains(target, StringComparer.Ordinal)))
        {
            return "Please choose a desk to forward the tip to.";
        }

        if (string.Equals(target, currentDesk, StringComparison.Ordinal))
        {
            return "The tip is already on that desk.";
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return "Please give a reason for forwarding the tip.";
        }

        return reason.Length > ReasonMax ? $"Please keep the reason under {ReasonMax} characters." : null;
    }

    /// <summary>The desks to offer: the warrants' issuing countries first (in warrant order), then General, then every other country.</summary>
    public static IReadOnlyList<string> Targets(string currentDesk, IEnumerable<string> warrantCountries, IEnumerable<string> allCountries)
    {
        var first = warrantCountries.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal).ToList();
        return [.. first.Append(Tip.GeneralDesk).Concat(allCountries.Where(c => !first.Contains(c, StringComparer.Ordinal)))
            .Distinct(StringComparer.Ordinal)
            .Where(d => !string.Equals(d, currentDesk, StringComparison.Ordinal))];
    }
}
