using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace InfraTerra.Web.Features.Notices;

/// <summary>Photos and thumbnails of listed notices. A photo id never gets other bytes, so they cache for long.</summary>
public static class NoticePhotoEndpoint
{
    public const string CacheControl = "public, max-age=604800, immutable";

    public static IServiceCollection AddNoticePhotos(this IServiceCollection services) =>
        services.AddSingleton<CardPictures>();

    public static IEndpointRouteBuilder MapNoticePhotos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/notices/{reference}/photos/{id:int}", (string reference, int id, HttpContext http) =>
            ServeAsync(reference, id, thumbnail: false, http));
        endpoints.MapGet("/notices/{reference}/photos/{id:int}/thumbnail", (string reference, int id, HttpContext http) =>
            ServeAsync(reference, id, thumbnail: true, http));
        endpoints.MapGet("/notices/{reference}/photos/{id:int}/card/{width:int}", (string reference, int id, int width, HttpContext http) =>
            ServeCardAsync(reference, id, width, http));
        return endpoints;
    }

    /// <summary>The card's picture at 1x or 2x; the address a card uses (<see cref="NoticeImages.CardWidths"/>).</summary>
    public static string CardPath(string reference, int photoId, int width) => $"/notices/{reference}/photos/{photoId}/card/{width}";

    private static IQueryable<NoticePhoto> ListedPhoto(HttpContext http, string reference, int id)
    {
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var visibility = http.RequestServices.GetRequiredService<NoticeVisibility>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var listed = db.Notices.Where(visibility.ListedAt(now)).Where(n => n.Reference == reference);
        return db.NoticePhotos.AsNoTracking().Where(p => p.Id == id && listed.Any(n => n.Id == p.NoticeId));
    }

    private static async Task<IResult> ServeAsync(string reference, int id, bool thumbnail, HttpContext http)
    {
        var photos = ListedPhoto(http, reference, id);
        var photo = thumbnail
            ? await photos.Select(p => new { ContentType = "image/jpeg", Content = p.Thumbnail }).SingleOrDefaultAsync(http.RequestAborted)
            : await photos.Select(p => new { p.ContentType, p.Content }).SingleOrDefaultAsync(http.RequestAborted);
        return photo is null ? Results.NotFound() : Image(http, photo.Content, photo.ContentType);
    }

    private static async Task<IResult> ServeCardAsync(string reference, int id, int width, HttpContext http)
    {
        // A fixed set of sizes: nobody can make the server resize to arbitrary sizes.
        if (!NoticeImages.CardWidths.Contains(width))
        {
            return Results.NotFound();
        }

        var photos = ListedPhoto(http, reference, id);
        var pictures = http.RequestServices.GetRequiredService<CardPictures>();
        if (pictures.Find(id, width) is { } cached)
        {
            // Still asked each time: a notice taken off the list takes its pictures with it at once.
            return await photos.AnyAsync(http.RequestAborted) ? Image(http, cached, "image/jpeg") : Results.NotFound();
        }

        var original = await photos.Select(p => p.Content).SingleOrDefaultAsync(http.RequestAborted);
        return original is null ? Results.NotFound() : Image(http, pictures.Make(id, width, original), "image/jpeg");
    }

    private static IResult Image(HttpContext http, byte[] content, string contentType)
    {
        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'";
        return Results.File(content, contentType);
    }
}

/// <summary>
/// Card pictures made from the stored photos on first request (the model keeps one 150-pixel
/// thumbnail only), kept in a bounded memory cache of their own so many notices cannot fill memory.
/// </summary>
public sealed class CardPictures : IDisposable
{
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxBytes });

    public byte[]? Find(int photoId, int width) => _cache.TryGetValue((photoId, width), out byte[]? bytes) ? bytes : null;

    public byte[] Make(int photoId, int width, byte[] original)
    {
        var bytes = NoticeImages.CardPicture(original, width).Bytes;
        _cache.Set((photoId, width), bytes, new MemoryCacheEntryOptions { Size = bytes.Length, SlidingExpiration = TimeSpan.FromHours(6) });
        return bytes;
    }

    public void Dispose() => _cache.Dispose();
}
