using Microsoft.AspNetCore.Antiforgery;

namespace InfraTerra.Web.Infrastructure.Forms;

/// <summary>
/// The first look at a post from the public forms (tip, follow-up), done by hand rather than by
/// the framework's antiforgery filter, whose refusal would drop what was typed. A post with no
/// cookie at all comes from a browser that keeps none and could never pass the check: it is only
/// read (ADR 0004). A body beyond every limit is reported as such, for the friendly 413 page.
/// </summary>
public static class AnonymousPost
{
    public static async Task<PostCheck> CheckAsync(HttpContext context, IAntiforgery antiforgery, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return PostCheck.TooLarge;
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
}

public enum PostCheck
{
    Genuine,
    Expired,
    TooLarge,
}
