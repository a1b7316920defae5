using System.Globalization;
using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Caching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Notices;

[OutputCache(PolicyName = PublicCache.Policy)]
public sealed class IndexModel(
    PublicCatalogue catalogue, TimeProvider clock,
    IStringLocalizer<SharedResource> t) : PageModel
{
    public const int PageSize = 24;

    public NoticeFilter Filter { get; private set; } = new();
    public NoticeSort Sort { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int Total { get; private set; }
    public int PageCount { get; private set; }
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public IReadOnlyList<NoticeCard> Cards { get; private set; } = [];
    public FilterChoices Choices { get; private set; } = FilterChoices.Empty;

    /// <summary>The raw query, so the form shows exactly what was typed, even when it was rejected.</summary>
    public string? Raw(string name) => Request.Query[name].FirstOrDefault();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = new QueryParameters(Request.Query);
        var (ageMin, ageMax) = query.AgeRange("ageMin", "ageMax");
        Filter = new NoticeFilter
        {
            Name = query.Text("q"),
            Nationality = query.Country("nationality"),
            WarrantCountry = query.Country("warrantCountry"),
            Sex = query.Sex("sex"),
            AgeMin = ageMin,
            AgeMax = ageMax,
            Category = query.Enum<CrimeCategory>("category"),
            Operation = query.Slug("operation"),
        };
        Sort = query.Enum<NoticeSort>("sort") ?? NoticeSort.Name;
        PageNumber = query.Integer("page", 1, 100_000) ?? 1;
        var snapshot = await catalogue.GetAsync(cancellationToken);
        Choices = snapshot.ChoicesAt(now);

        if (query.Errors.Count > 0)
        {
            Errors = query.Errors.Select(Explain).ToList();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var found = snapshot.Search(Filter, Sort, now, (PageNumber - 1) * PageSize, PageSize);
        Total = found.Total;
        PageCount = Math.Max(1, (Total + PageSize - 1) / PageSize);
        if (PageNumber > PageCount)
        {
            return NotFound();
        }

        Cards = snapshot.Cards(found.Notices);
        return Page();
    }

    public bool HasFilters => Filter != new NoticeFilter();

    public string PageUrl(int page) => Request.PathBase + QueryHelpers.Build("/notices",
        ("q", Filter.Name),
        ("nationality", Filter.Nationality),
        ("warrantCountry", Filter.WarrantCountry),
        ("sex", Filter.Sex is { } sex ? SexCode(sex) : null),
        ("ageMin", Filter.AgeMin?.ToString(CultureInfo.InvariantCulture)),
        ("ageMax", Filter.AgeMax?.ToString(CultureInfo.InvariantCulture)),
        ("category", Filter.Category?.ToString().ToLowerInvariant()),
        ("operation", Filter.Operation),
        ("sort", Sort == NoticeSort.Name ? null : Sort.ToString().ToLowerInvariant()),
        ("page", page == 1 ? null : page.ToString(CultureInfo.InvariantCulture)));

    public static string SexCode(Sex sex) => sex switch
    {
        Domain.Sex.Female => "F",
        Domain.Sex.Male => "M",
        _ => "U",
    };

    private string Explain(ParameterError error)
    {
        var label = error.Parameter switch
        {
            "q" => t["Name"],
            "nationality" => t["Nationality"],
            "warrantCountry" => t["Wanted by"],
            "sex" => t["Sex"],
            "ageMin" => t["Age from"],
            "ageMax" => t["Age to"],
            "category" => t["Crime category"],
            "operation" => t["Operation"],
            "sort" => t["Sort by"],
            _ => t["Page"],
        };
        return error.Problem switch
        {
            ParameterProblem.TooLong => t["{0}: at most {1} characters.", label, QueryParameters.MaxTextLength],
            ParameterProblem.OutOfRange when error.Parameter.StartsWith("age", StringComparison.Ordinal) => t["{0}: give an age from 0 to {1}.", label, QueryParameters.MaxAge],
            ParameterProblem.MinAboveMax => t["{0}: the lower age is above the upper age.", label],
            ParameterProblem.Repeated => t["{0}: give one value only.", label],
            _ => t["{0}: this value is not one we recognise.", label],
        };
    }
}
