using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// Marks a page whose form the public sends (tip, follow-up). Its body is read in memory only,
/// through <see cref="PublicFormGate"/>: ASP.NET Core would otherwise spool every file over 64 KB
/// to an <c>ASPNETCORE_*.tmp</c> file, the original photo with its EXIF and GPS in plain on disk.
/// Its posts are also kept out of the request log (see <see cref="PublicFormPost"/>), and every
/// request to it out of ASP.NET Core's HTTP metrics (<see cref="IDisableHttpMetricsMetadata"/>; the
/// gate also sets <see cref="IHttpMetricsTagsFeature.MetricsDisabled"/>, which holds through an error
/// page it is re-executed to): a request counter scraped every 15 s would date each tip and reply to
/// the scrape, where ADR 0005 keeps them to the hour.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublicFormAttribute(long maxBytes) : Attribute, IDisableHttpMetricsMetadata
{
    public long MaxBytes { get; } = maxBytes;

    /// <summary>A threshold no section can pass: the section limit throws before the buffer would move to a file.</summary>
    public FormOptions InMemoryFormOptions() => new()
    {
        BufferBody = false,
        MemoryBufferThreshold = checked((int)MaxBytes),
        MultipartBodyLengthLimit = MaxBytes,
    };
}
