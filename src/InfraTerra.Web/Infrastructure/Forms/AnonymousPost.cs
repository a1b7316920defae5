using Microsoft.AspNetCore.Antiforgery;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// The first look at a post from the public forms (tip, follow-up), done by hand rather than by
/// the framework's antiforgery filter, whose refusal would drop what was typed. A post with no
/// cookie at all comes from a browser that keeps none and could never pass the check: it is only
/// read (ADR 0004). A post that the browser says came from another site is refused first, cookies
/// or not, so another site cannot send tips (or decode work) through its visitors' browsers. A body
/// beyond every limit is reported as such, for the friendly 413 page.
/// </summary>
public static class AnonymousPost
{
    public static async Task<PostCheck> CheckAsync(HttpContext context, IAntiforgery antiforgery, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return PostCheck.TooLarge;
        }

        if (IsFromAnotherSite(context))
        {
            return PostCheck.CrossSite;
        }

        try
        {
            if (IsCookieless(context))
            {
                await context.Request.ReadFormAsync();
                return PostCheck.Genuine;
            }

            return await antiforgery.IsRequestValidAsync(context) ? PostCheck.Genuine : PostCheck.Expired;
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException
            || (e is AntiforgeryValidationException && e.InnerException is BadHttpRequestException or InvalidDataException))
        {
            // No Content-Length to check first, and the body ran past every limit.
            return PostCheck.TooLarge;
        }
    }

    public static bool IsCookieless(HttpContext context) => context.Request.Cookies.Count == 0;

    /// <summary>
    /// What the browser itself says (scripts cannot set these headers). <c>Sec-Fetch-Site</c>
    /// <c>cross-site</c> is refused; <c>same-origin</c> is believed even when <c>Origin</c> looks
    /// foreign, which only happens when a proxy rewrote <c>Host</c>. Otherwise a present
    /// <c>Origin</c> must name this site. <c>Origin: null</c> tells nothing (our own pages send
    /// it, under <c>Referrer-Policy: no-referrer</c>), and a browser that sends neither header is
    /// let through, as before.
    /// </summary>
    public static bool IsFromAnotherSite(HttpContext context)
    {
        var fetchSite = context.Request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (fetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var origin = context.Request.Headers.Origin.ToString();
        return origin.Length > 0 && origin != "null" && !IsThisSite(context, origin);
    }

    /// <summary>
    /// By host and port, not scheme: behind a TLS-terminating proxy the app sees http while the
    /// browser says https. <c>Site:PublicBaseUrl</c>, when set, is this site too.
    /// </summary>
    private static bool IsThisSite(HttpContext context, string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var claimed) || claimed.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var configured = context.RequestServices.GetService<IConfiguration>()?["Site:PublicBaseUrl"];
        if (Uri.TryCreate(configured, UriKind.Absolute, out var publicBase)
            && string.Equals(publicBase.Authority, claimed.Authority, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return context.Request.Host.HasValue
            && Uri.TryCreate($"{claimed.Scheme}://{context.Request.Host.Value}", UriKind.Absolute, out var own)
            && string.Equals(own.Authority, claimed.Authority, StringComparison.OrdinalIgnoreCase);
    }
}

public enum PostCheck
{
    Genuine,
    Expired,
    TooLarge,

    /// <summary>Sent from another site's page: the form comes back with the text, to be sent from here.</summary>
    CrossSite,
}
