using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace InfraTerra.Web.Features.Notices;

/// <summary>Photos and thumbnails of listed notices. A photo id never gets other bytes, so they cache for long.</summary>
public static class NoticePhotoEndpoint
{
    public const string CacheControl = "public, max-age=604800, immutable";

    public static IEndpointRouteBuilder MapNoticePhotos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/notices/{reference}/photos/{id:int}", (string reference, int id, HttpContext http) =>
            ServeAsync(reference, id, thumbnail: false, http));
        endpoints.MapGet("/notices/{reference}/photos/{id:int}/thumbnail", (string reference, int id, HttpContext http) =>
            ServeAsync(reference, id, thumbnail: true, http));
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string reference, int id, bool thumbnail, HttpContext http)
    {
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var visibility = http.RequestServices.GetRequiredService<NoticeVisibility>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var listed = db.Notices.Where(visibility.ListedAt(now)).Where(n => n.Reference == reference);
        var photos = db.NoticePhotos.AsNoTracking().Where(p => p.Id == id && listed.Any(n => n.Id == p.NoticeId));
        var photo = thumbnail
            ? await photos.Select(p => new { ContentType = "image/jpeg", Content = p.Thumbnail }).SingleOrDefaultAsync(http.RequestAborted)
            : await photos.Select(p => new { p.ContentType, p.Content }).SingleOrDefaultAsync(http.RequestAborted);
        if (photo is null)
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'";
        return Results.File(photo.Content, photo.ContentType);
    }
}
