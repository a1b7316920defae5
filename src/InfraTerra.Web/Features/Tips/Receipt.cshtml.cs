using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InfraTerra.Web.Features.Tips;

/// <summary>
/// Shown once, after the tip is committed; the code comes through TempData, never the URL. Its GET follows
/// each accepted tip at once, so it is kept out of the HTTP metrics like the form (ADR 0005).
/// </summary>
[NoStore]
[DisableHttpMetrics]
public sealed class ReceiptModel : PageModel
{
    public string? Code { get; private set; }

    public void OnGet() => Code = TempData[NewModel.ReceiptTempDataKey] as string;
}
