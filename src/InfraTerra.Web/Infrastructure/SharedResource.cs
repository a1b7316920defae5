namespace InfraTerra.Web.Infrastructure;

/// <summary>Marker for the UI strings: <c>IStringLocalizer&lt;SharedResource&gt;</c>, keyed by the English text.</summary>
public sealed class SharedResource;
