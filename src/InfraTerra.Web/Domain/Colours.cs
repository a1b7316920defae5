namespace InfraTerra.Web.Domain;

/// <summary>INTERPOL's eye and hair colour codes, as English words (then translated like any UI text).</summary>
public static class Colours
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["BLA"] = "Black",
        ["BLU"] = "Blue",
        ["BRO"] = "Brown",
        ["GRE"] = "Green",
        ["GRY"] = "Grey",
        ["HAZ"] = "Hazel",
        ["RED"] = "Red",
        ["BLN"] = "Blond",
        ["WHI"] = "White",
        ["BAL"] = "Bald",
    };

    public static string Name(string code) => Names.GetValueOrDefault(code, code);

    public static bool IsKnown(string code) => Names.ContainsKey(code);

    public static IReadOnlyCollection<string> AllCodes => Names.Keys;

    /// <summary>Every colour's English word: each is a UI string to translate.</summary>
    public static IReadOnlyCollection<string> AllNames => Names.Values;
}
