namespace InfraTerra.Web.Features.Triage.Dashboard;

/// <summary>
/// A bar chart drawn on the server as SVG (<c>_Chart.cshtml</c>), with its numbers in a table.
/// <see cref="Columns"/>: one vertical bar per item (days); otherwise one horizontal bar per row.
/// </summary>
public sealed record Chart(string Id, string Title, string LabelHeader, string ValueHeader, IReadOnlyList<Bar> Bars, bool Columns = false)
{
    public const int Width = 640;
    public const int LabelWidth = 230;
    public const int RowHeight = 22;
    public const int ColumnsHeight = 180;

    public long Max => Math.Max(1, Bars.Count == 0 ? 0 : Bars.Max(b => b.Value));

    public int Height => Columns ? ColumnsHeight + 30 : Math.Max(1, Bars.Count) * RowHeight + 4;

    /// <summary>The length of a horizontal bar, in the space left after labels and values.</summary>
    public int BarLength(long value) => (int)Math.Round((Width - LabelWidth - 60) * (double)value / Max);

    public double ColumnWidth => (Width - 40) / (double)Math.Max(1, Bars.Count);

    public int ColumnHeight(long value) => (int)Math.Round(ColumnsHeight * (double)value / Max);
}
