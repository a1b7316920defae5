namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// Set on a request that posts a public form. Such a post is never written to the request log:
/// its time, next to a reverse proxy's log of addresses, would name the tipster.
/// </summary>
public sealed class PublicFormPost
{
    /// <summary>Refused by <see cref="PublicFormGate"/> before its body was read (a 503).</summary>
    public bool Refused { get; set; }

    /// <summary>
    /// No upload slot was free: only its text fields were read (see <see cref="TextOnlyForm"/>), so
    /// the page gives the form back with them, storing nothing.
    /// </summary>
    public bool Overloaded { get; set; }

    /// <summary>Files that were sent but dropped unread because the post was <see cref="Overloaded"/>.</summary>
    public int DroppedFiles { get; set; }

    public static bool IsPublicFormPost(HttpContext context) => context.Features.Get<PublicFormPost>() is not null;

    public static bool WasRefused(HttpContext context) => context.Features.Get<PublicFormPost>() is { Refused: true };

    public static bool WasOverloaded(HttpContext context) => context.Features.Get<PublicFormPost>() is { Overloaded: true };

    public static bool FilesWereDropped(HttpContext context) => context.Features.Get<PublicFormPost>() is { DroppedFiles: > 0 };
}
