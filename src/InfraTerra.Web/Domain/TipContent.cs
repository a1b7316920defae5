namespace InfraTerra.Web.Domain;

/// <summary>What the tipster wrote: serialized and sealed, never stored in plain.</summary>
public sealed record TipContent(string Description, string? Place);
