namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// Set on a request that posts a public form. Such a post is never written to the request log:
/// its time, next to a reverse proxy's log of addresses, would name the tipster.
/// </summary>
public sealed class PublicFormPost
{
    /// <summary>Refused by <see cref="PublicFormGate"/> before its body was read (a 503).</summary>
    public bool Refused { get; set; }

    public static bool IsPublicFormPost(HttpContext context) => context.Features.Get<PublicFormPost>() is not null;

    public static bool WasRefused(HttpContext context) => context.Features.Get<PublicFormPost>() is { Refused: true };
}
