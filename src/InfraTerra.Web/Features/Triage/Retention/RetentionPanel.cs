using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;

namespace InfraTerra.Web.Features.Triage.Retention;

/// <summary>What the tip view shows of retention (when the tip will be deleted, its hold), rendered by <c>_RetentionHold.cshtml</c>.</summary>
public sealed record RetentionPanel(Guid TipId, int Revision, TipStatus Status, DateTime StatusChangedAtUtc)
{
    public DateTime? HeldAtUtc { get; init; }

    /// <summary>The reason typed with the current hold (a sealed note), when the tip was opened to show it.</summary>
    public string? HeldBecause { get; init; }

    /// <summary>A refused hold: why, and what was typed.</summary>
    public string? Error { get; init; }
    public string? KeptReason { get; init; }

    public bool Held => HeldAtUtc is not null;

    /// <summary>The tip view's panel: the hold's reason is the newest hold-reason note, opened with the tip (and its audited view).</summary>
    public static RetentionPanel Of(TipStore.OfficerView view) => Of(view.Tip) with
    {
        HeldBecause = view.Tip.RetentionHeldAtUtc is null ? null
            : view.Notes.LastOrDefault(n => n.Kind == TipNoteKind.RetentionHoldReason)?.Text,
    };

    public static RetentionPanel Of(Tip tip) => new(tip.Id, tip.Revision, tip.Status, tip.StatusChangedAtUtc)
    {
        HeldAtUtc = tip.RetentionHeldAtUtc,
    };
}
