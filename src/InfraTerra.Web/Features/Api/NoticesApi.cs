using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using InfraTerra.Web.Infrastructure.Localization;

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
        HttpContext http, PublicCatalogue catalogue, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (request, errors) = NoticeListRequest.Parse(http.Request.Query);
        if (errors.Count > 0)
        {
            return ApiProblems.InvalidParameters(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var snapshot = await catalogue.GetAsync(cancellationToken);
        var found = snapshot.Search(request.Filter, NoticeSort.Name, now, request.Paging.Skip, request.Paging.Size);
        return ApiResponse.Json(
            http, ApiNoticeList.From(request, found.Total, snapshot.Cards(found.Notices), new ApiLinks(http)), snapshot.ListLastModifiedAt(now));
    }

    private static async Task<IResult> DetailAsync(
        string id, HttpContext http, PublicCatalogue catalogue, NoticeVisibility visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        var notice = (await catalogue.GetAsync(cancellationToken)).Find(id);
        if (ApiProblems.ForVisibility(visibility.PageVisibilityOf(notice, clock.GetUtcNow().UtcDateTime)) is { } problem)
        {
            return problem;
        }

        var document = ApiNoticeDetail.From(notice!, notice!.Photos.FirstOrDefault()?.Id, http.CurrentLanguage(), new ApiLinks(http));
        return ApiResponse.Json(http, document, LastChange(notice));
    }

    private static async Task<IResult> ImagesAsync(
        string id, HttpContext http, PublicCatalogue catalogue, NoticeVisibility visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        var notice = (await catalogue.GetAsync(cancellationToken)).Find(id);
        if (ApiProblems.ForVisibility(visibility.PageVisibilityOf(notice, clock.GetUtcNow().UtcDateTime)) is { } problem)
        {
            return problem;
        }

        return ApiResponse.Json(http, ApiImages.From(notice!.Reference, [.. notice.Photos.Select(p => p.Id)], new ApiLinks(http)), LastChange(notice));
    }

    private static DateTime LastChange(Notice notice) =>
        notice.UpdatedAtUtc > notice.StatusChangedAtUtc ? notice.UpdatedAtUtc : notice.StatusChangedAtUtc;
}
