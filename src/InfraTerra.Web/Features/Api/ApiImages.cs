using System.Globalization;
using System.Text.Json.Serialization;

namespace InfraTerra.Web.Features.Api;

/// <summary>A notice's pictures in INTERPOL's shape; each href returns the picture itself.</summary>
public sealed record ApiImages(
    [property: JsonPropertyName("_embedded")] ApiImagesEmbedded Embedded,
    [property: JsonPropertyName("_links")] ApiImagesLinks Links)
{
    public static ApiImages From(string reference, IReadOnlyList<int> photoIds, ApiLinks links) => new(
        new([.. photoIds.Select(id => new ApiImage(id.ToString(CultureInfo.InvariantCulture), new(links.Photo(reference, id))))]),
        new(links.Images(reference), links.Notice(reference), photoIds.Count > 0 ? links.Thumbnail(reference, photoIds[0]) : null));
}

public sealed record ApiImagesEmbedded(IReadOnlyList<ApiImage> Images);

/// <summary><c>picture_id</c> is a string, as INTERPOL writes it.</summary>
public sealed record ApiImage(string PictureId, [property: JsonPropertyName("_links")] ApiImageLinks Links);

public sealed record ApiImageLinks(ApiLink Self);

public sealed record ApiImagesLinks(
    ApiLink Self,
    ApiLink Notice,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApiLink? Thumbnail);
