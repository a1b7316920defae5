namespace InfraTerra.Web.Features.Tips;

public static class TextRules
{
    /// <summary>Free text may hold line breaks and tabs, but no other control characters.</summary>
    public static bool HasNoControlCharacters(string? text) =>
        text is null || !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    public static bool IsSingleLine(string? text) =>
        text is null || !text.Any(char.IsControl);
}
