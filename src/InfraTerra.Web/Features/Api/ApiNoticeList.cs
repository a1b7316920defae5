using System.Text.Json.Serialization;
using InfraTerra.Web.Catalogue;

namespace InfraTerra.Web.Features.Api;

/// <summary>A page of notices in INTERPOL's shape: <c>total</c>, <c>query</c>, <c>_embedded.notices</c>, <c>_links</c>.</summary>
public sealed record ApiNoticeList(
    int Total,
    IReadOnlyDictionary<string, object> Query,
    [property: JsonPropertyName("_embedded")] ApiNoticeListEmbedded Embedded,
    [property: JsonPropertyName("_links")] ApiPageLinks Links)
{
    public static ApiNoticeList From(NoticeListRequest request, int total, IEnumerable<NoticeCard> cards, ApiLinks links)
    {
        var page = request.Paging.Page;
        var last = request.Paging.LastPage(total);
        ApiLink To(int number) => links.Link(request.PathFor(number));
        return new(
            total,
            request.Echo(),
            new([.. cards.Select(card => ApiNoticeSummary.From(card, links))]),
            new(
                To(page),
                To(1),
                // Past the end, "previous" leads back to the last page that has notices.
                page > 1 ? To(Math.Min(page - 1, last)) : null,
                page < last ? To(page + 1) : null,
                To(last)));
    }
}

public sealed record ApiNoticeListEmbedded(IReadOnlyList<ApiNoticeSummary> Notices);

public sealed record ApiPageLinks(
    ApiLink Self,
    ApiLink First,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApiLink? Prev,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApiLink? Next,
    ApiLink Last);
