using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace InfraTerra.Web.Features.Notices;

/// <summary>
/// Photos and thumbnails of listed notices. A photo id never gets other bytes, so they cache for long.
/// Whether the notice is listed comes from the catalogue; the bytes come from the database, and the
/// ones served lately are kept in a bounded memory (<see cref="PhotoBytes"/>), so that they still answer
/// while the database is away.
/// </summary>
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
        var services = http.RequestServices;
        var visibility = services.GetRequiredService<NoticeVisibility>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var notice = (await services.GetRequiredService<PublicCatalogue>().GetAsync(http.RequestAborted)).Find(reference);
        var photo = notice?.Photos.FirstOrDefault(p => p.Id == id);
        if (photo is null || visibility.PageVisibilityOf(notice, now) is not (PageVisibility.Sought or PageVisibility.NoLongerSought))
        {
            return Results.NotFound();
        }

        var bytes = services.GetRequiredService<PhotoBytes>();
        var key = (id, thumbnail);
        if (!bytes.Cache.TryGetValue(key, out byte[]? content))
        {
            try
            {
                var db = services.GetRequiredService<AppDbContext>();
                var photos = db.NoticePhotos.AsNoTracking().Where(p => p.Id == id);
                content = thumbnail
                    ? await photos.Select(p => p.Thumbnail).SingleOrDefaultAsync(http.RequestAborted)
                    : await photos.Select(p => p.Content).SingleOrDefaultAsync(http.RequestAborted);
            }
            catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
            {
                // The page answers from the catalogue; a photo not held here waits for the database.
                http.Response.Headers.RetryAfter = "30";
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            if (content is null)
            {
                return Results.NotFound();
            }

            bytes.Cache.Set(key, content, new MemoryCacheEntryOptions { Size = content.Length, SlidingExpiration = TimeSpan.FromHours(1) });
        }

        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'";
        return Results.File(content!, thumbnail ? "image/jpeg" : photo.ContentType);
    }
}
