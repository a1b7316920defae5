namespace InfraTerra.Web.Domain;

/// <summary>Which tips may share a cluster, and how an officer names the other tip of a link.</summary>
public static class ClusterRules
{
    /// <summary>Longer than any link to a tip: anything longer is not one.</summary>
    public const int ReferenceMax = 300;

    /// <summary>
    /// A tip named by its id (with or without dashes) or by a link to it, as pasted from the tip
    /// view's address bar; null when the text names no tip.
    /// </summary>
    public static Guid? ParseTipReference(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > ReferenceMax)
        {
            return null;
        }

        foreach (var part in text.Trim().Split(['/', '?', '#', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (Guid.TryParseExact(part, "D", out var id) || Guid.TryParseExact(part, "N", out id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>A cluster is about one fugitive: two tips about different notices never share one. A tip about no notice may join any.</summary>
    public static string? Check(int? noticeOfTip, int? noticeOfOther) =>
        noticeOfTip is { } a && noticeOfOther is { } b && a != b ? "Only tips about the same notice can be linked." : null;
}
