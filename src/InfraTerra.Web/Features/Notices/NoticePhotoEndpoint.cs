using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace InfraTerra.Web.Features.Notices;

/// <summary>
/// Photos, thumbnails and card pictures of listed notices. A photo id never gets other bytes, so they
/// cache for long. Whether the notice is listed comes from the catalogue; the bytes come from the
/// database, and the ones served lately are kept in a bounded memory (<see cref="PhotoBytes"/>), so
/// that they still answer while the database is away.
/// </summary>
public static class NoticePhotoEndpoint
{
    public const string CacheControl = "public, max-age=604800, immutable";

    private const int Original = 0;
    private const int Thumbnail = -1;

    public static IEndpointRouteBuilder MapNoticePhotos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/notices/{reference}/photos/{id:int}", (string reference, int id, HttpContext http) =>
            ServeAsync(reference, id, Original, http));
        endpoints.MapGet("/notices/{reference}/photos/{id:int}/thumbnail", (string reference, int id, HttpContext http) =>
            ServeAsync(reference, id, Thumbnail, http));
        endpoints.MapGet("/notices/{reference}/photos/{id:int}/card/{width:int}", (string reference, int id, int width, HttpContext http) =>
            NoticeImages.CardWidths.Contains(width)

                // A fixed set of sizes: nobody can make the server resize to arbitrary sizes.
                ? ServeAsync(reference, id, width, http)
                : Task.FromResult(Results.NotFound()));
        return endpoints;
    }

    /// <summary>The card's picture at 1x or 2x; the address a card uses (<see cref="NoticeImages.CardWidths"/>).</summary>
    public static string CardPath(string reference, int photoId, int width) => $"/notices/{reference}/photos/{photoId}/card/{width}";

    /// <param name="size"><see cref="Original"/>, <see cref="Thumbnail"/>, or a card width.</param>
    private static async Task<IResult> ServeAsync(string reference, int id, int size, HttpContext http)
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
        var key = (id, size);
        if (!bytes.Cache.TryGetValue(key, out byte[]? content))
        {
            try
            {
                var db = services.GetRequiredService<AppDbContext>();
                var photos = db.NoticePhotos.AsNoTracking().Where(p => p.Id == id);
                content = size == Thumbnail
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

            if (size > 0)
            {
                content = NoticeImages.CardPicture(content, size).Bytes;
            }

            bytes.Cache.Set(key, content, new MemoryCacheEntryOptions { Size = content.Length, SlidingExpiration = TimeSpan.FromHours(1) });
        }

        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'";
        return Results.File(content!, size == Original ? photo.ContentType : "image/jpeg");
    }
}
