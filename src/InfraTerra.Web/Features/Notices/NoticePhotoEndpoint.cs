using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace InfraTerra.Web.Features.Notices;

public static class NoticePhotoEndpoint
{
    public static IEndpointRouteBuilder MapNoticePhotos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/notices/{reference}/photos/{id:int}", async (
            string reference, int id, AppDbContext db, NoticeVisibility visibility, TimeProvider clock, HttpContext http) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var photo = await db.NoticePhotos.AsNoTracking()
                .Where(p => p.Id == id)
                .Join(db.Notices.Where(visibility.ListedAt(now)).Where(n => n.Reference == reference),
                    p => p.NoticeId, n => n.Id, (p, n) => new { p.ContentType, p.Content })
                .SingleOrDefaultAsync();
            if (photo is null)
            {
                return Results.NotFound();
            }

            // Photo ids never get new content, so the bytes can be cached for a long time.
            http.Response.Headers.CacheControl = "public, max-age=604800, immutable";
            http.Response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'";
            return Results.File(photo.Content, photo.ContentType);
        });
        return endpoints;
    }
}
