using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using InfraTerra.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Api;

/// <summary>
/// The public JSON API in INTERPOL's dialect (docs/api.md), at InfraTerra's paths and at
/// INTERPOL's own, which answer with the same documents.
/// </summary>
public static class NoticesApi
{
    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder endpoints)
    {
        foreach (var root in new[] { ApiLinks.Root, ApiLinks.InterpolRoot })
        {
            var api = endpoints.MapGroup(root);
            api.MapGet("", ListAsync).CacheOutput(PublicCache.Policy);
            api.MapGet("/{id}", DetailAsync).CacheOutput(PublicCache.Policy);
            api.MapGet("/{id}/images", ImagesAsync).CacheOutput(PublicCache.Policy);

            // INTERPOL's picture URLs are /images/{picture_id}; clients that build them rather than follow hrefs still arrive.
            api.MapGet("/{id}/images/{pictureId:int}", (string id, int pictureId, HttpContext http) =>
                Results.Redirect(new ApiLinks(http).Photo(id, pictureId).Href, permanent: true));
        }

        return endpoints;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, AppDbContext db, NoticeVisibility visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (request, errors) = NoticeListRequest.Parse(http.Request.Query);
        if (errors.Count > 0)
        {
            return ApiProblems.InvalidParameters(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var matching = db.Notices.AsNoTracking().Where(visibility.ListedAt(now)).Matching(request.Filter, DateOnly.FromDateTime(now));
        var total = await matching.CountAsync(cancellationToken);
        var cards = await NoticeCard.From(matching.SortedBy(NoticeSort.Name).Skip(request.Paging.Skip).Take(request.Paging.Size))
            .ToListAsync(cancellationToken);
        var lastModified = await ListLastModifiedAsync(db, visibility, now, cancellationToken);
        return ApiResponse.Json(http, ApiNoticeList.From(request, total, cards, new ApiLinks(http)), lastModified);
    }

    private static async Task<IResult> DetailAsync(
        string id, HttpContext http, AppDbContext db, NoticeVisibility visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var notice = await db.Notices.AsNoTracking()
            .Include(n => n.Warrants.OrderBy(w => w.Id))
            .Include(n => n.Translations)
            .Include(n => n.Operations)
            .AsSplitQuery()
            .SingleOrDefaultAsync(n => n.Reference == id, cancellationToken);
        if (ApiProblems.ForVisibility(visibility.PageVisibilityOf(notice, now)) is { } problem)
        {
            return problem;
        }

        var photoIds = await PhotoIdsAsync(db, notice!.Id, cancellationToken);
        var document = ApiNoticeDetail.From(notice, photoIds.Count > 0 ? photoIds[0] : null, http.CurrentLanguage(), new ApiLinks(http));
        return ApiResponse.Json(http, document, LastChange(notice));
    }

    private static async Task<IResult> ImagesAsync(
        string id, HttpContext http, AppDbContext db, NoticeVisibility visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var notice = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.Reference == id, cancellationToken);
        if (ApiProblems.ForVisibility(visibility.PageVisibilityOf(notice, now)) is { } problem)
        {
            return problem;
        }

        var photoIds = await PhotoIdsAsync(db, notice!.Id, cancellationToken);
        return ApiResponse.Json(http, ApiImages.From(notice.Reference, photoIds, new ApiLinks(http)), LastChange(notice));
    }

    private static Task<List<int>> PhotoIdsAsync(AppDbContext db, int noticeId, CancellationToken cancellationToken) =>
        db.NoticePhotos.Where(p => p.NoticeId == noticeId).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(cancellationToken);

    private static DateTime LastChange(Notice notice) =>
        notice.UpdatedAtUtc > notice.StatusChangedAtUtc ? notice.UpdatedAtUtc : notice.StatusChangedAtUtc;

    /// <summary>
    /// When any list may last have changed: the latest edit or status change of any notice, or the
    /// moment the latest arrest left the list. The result set's own dates would miss notices that left it.
    /// </summary>
    private static async Task<DateTime> ListLastModifiedAsync(
        AppDbContext db, NoticeVisibility visibility, DateTime now, CancellationToken cancellationToken)
    {
        var notices = db.Notices.AsNoTracking();
        var updated = await notices.MaxAsync(n => (DateTime?)n.UpdatedAtUtc, cancellationToken);
        var statusChanged = await notices.MaxAsync(n => (DateTime?)n.StatusChangedAtUtc, cancellationToken);
        var arrestCutoff = now - visibility.ArrestedGracePeriod;
        var lastExpiredArrest = await notices
            .Where(n => n.IsPublished && n.Status == NoticeStatus.Arrested && n.StatusChangedAtUtc <= arrestCutoff)
            .MaxAsync(n => (DateTime?)n.StatusChangedAtUtc, cancellationToken);
        DateTime?[] candidates = [updated, statusChanged, lastExpiredArrest + visibility.ArrestedGracePeriod];
        return candidates.Max() ?? DateTime.UnixEpoch;
    }
}
