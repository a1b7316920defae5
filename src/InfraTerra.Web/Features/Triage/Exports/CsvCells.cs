namespace InfraTerra.Web.Features.Triage.Exports;

/// <summary>
/// Keeps a spreadsheet from reading a cell as a formula. A tipster writes the description and the
/// place, so "=HYPERLINK(...)" or "@SUM(...)" could otherwise run on the desk of whoever opens the
/// export: a cell that starts with one of the characters OWASP lists for CSV injection gets a single
/// quote in front, which spreadsheets show as text.
/// </summary>
public static class CsvCells
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

    /// <summary>
    /// Leading spaces do not protect a cell: some spreadsheets trim them on import and then read the
    /// formula, so the first character that is not white space decides.
    /// </summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var start = value.AsSpan().TrimStart([' ', '\u00A0', '\u3000']);
        return !start.IsEmpty && Array.IndexOf(Triggers, start[0]) >= 0 ? "'" + value : value;
    }
}
