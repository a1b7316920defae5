namespace InfraTerra.Web.Features.Triage.Exports;

/// <summary>
/// Keeps a spreadsheet from reading a cell as a formula. A tipster writes the description and the
/// place, so "=HYPERLINK(...)" or "@SUM(...)" could otherwise run on the desk of whoever opens the
/// export: a cell that starts with one of the characters OWASP lists for CSV injection gets a single
/// quote in front, which spreadsheets show as text.
/// </summary>
public static class CsvCells
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r'];

    public static string Neutralise(string? value) =>
        string.IsNullOrEmpty(value) || Array.IndexOf(Triggers, value[0]) < 0 ? value ?? "" : "'" + value;
}
