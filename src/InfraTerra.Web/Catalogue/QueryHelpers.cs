namespace InfraTerra.Web.Catalogue;

public static class QueryHelpers
{
    /// <summary>A shareable URL that carries only the parameters that are set.</summary>
    public static string Build(string path, params (string Name, string? Value)[] parameters)
    {
        var set = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}")
            .ToList();
        return set.Count == 0 ? path : $"{path}?{string.Join('&', set)}";
    }
}
