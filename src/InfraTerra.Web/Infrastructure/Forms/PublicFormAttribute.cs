using Microsoft.AspNetCore.Http.Features;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// Marks a page whose form the public sends (tip, follow-up). Its body is read in memory only,
/// through <see cref="PublicFormGate"/>: ASP.NET Core would otherwise spool every file over 64 KB
/// to an <c>ASPNETCORE_*.tmp</c> file, the original photo with its EXIF and GPS in plain on disk.
/// Its posts are also kept out of the request log (see <see cref="PublicFormPost"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublicFormAttribute(long maxBytes) : Attribute
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
