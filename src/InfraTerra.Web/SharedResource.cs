namespace InfraTerra.Web;

/// <summary>
/// Marker for the UI strings: <c>IStringLocalizer&lt;SharedResource&gt;</c>, keyed by the English
/// text, translated in Resources/SharedResource.{fr,es,ar}.resx.
/// </summary>
public sealed class SharedResource;
