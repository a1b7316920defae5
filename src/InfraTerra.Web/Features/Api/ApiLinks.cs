using System.Text.Json.Serialization;
using InfraTerra.Web.Infrastructure;

namespace InfraTerra.Web.Features.Api;

public sealed record ApiLink(string Href);

/// <summary>
/// Absolute hrefs of the API's resources. Links always name InfraTerra's own paths, whichever
/// path was asked, so that both paths return the same document.
/// </summary>
public sealed class ApiLinks(HttpContext http)
{
    public const string Root = "/api/v1/notices";

    /// <summary>INTERPOL's path for Red Notices, so its clients work by changing only the host.</summary>
    public const string InterpolRoot = "/notices/v1/red";

    public ApiLink Notice(string reference) => Link($"{Root}/{Uri.EscapeDataString(reference)}");

    public ApiLink Images(string reference) => Link($"{Root}/{Uri.EscapeDataString(reference)}/images");

    public ApiLink Photo(string reference, int photoId) => Link($"/notices/{Uri.EscapeDataString(reference)}/photos/{photoId}");

    public ApiLink Thumbnail(string reference, int photoId) => Link($"/notices/{Uri.EscapeDataString(reference)}/photos/{photoId}/thumbnail");

    public ApiLink? ThumbnailOrNone(string reference, int? photoId) => photoId is { } id ? Thumbnail(reference, id) : null;

    /// <summary>A site path with its query, made absolute.</summary>
    public ApiLink Link(string pathAndQuery) => new(PublicUrls.Absolute(http, pathAndQuery));
}

public sealed record ApiNoticeLinks(
    ApiLink Self,
    ApiLink Images,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApiLink? Thumbnail);
