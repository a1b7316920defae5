using System.Globalization;
using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Notices;

namespace InfraTerra.Web.Features.Api;

/// <summary>
/// The list's query string: INTERPOL's parameters (same names, same meaning) plus InfraTerra's
/// <c>category</c>, <c>operation</c> and <c>status</c>. Unknown parameters are ignored, as INTERPOL does.
/// </summary>
public sealed record NoticeListRequest(NoticeFilter Filter, Paging Paging)
{
    public const int DefaultResultPerPage = 20;
    public const int MaxResultPerPage = 160;

    public static class Names
    {
        public const string Forename = "forename";
        public const string Name = "name";
        public const string Nationality = "nationality";
        public const string AgeMin = "ageMin";
        public const string AgeMax = "ageMax";
        public const string FreeText = "freeText";
        public const string SexId = "sexId";
        public const string ArrestWarrantCountryId = "arrestWarrantCountryId";
        public const string Page = "page";
        public const string ResultPerPage = "resultPerPage";
        public const string Category = "category";
        public const string Operation = "operation";
        public const string Status = "status";
    }

    public static (NoticeListRequest Request, IReadOnlyList<ParameterError> Errors) Parse(IQueryCollection query)
    {
        var parameters = new QueryParameters(query);
        var (ageMin, ageMax) = parameters.AgeRange(Names.AgeMin, Names.AgeMax);
        var filter = new NoticeFilter
        {
            Forename = parameters.Text(Names.Forename),
            FamilyName = parameters.Text(Names.Name),
            Name = parameters.Text(Names.FreeText),
            Nationality = parameters.Country(Names.Nationality),
            WarrantCountry = parameters.Country(Names.ArrestWarrantCountryId),
            Sex = parameters.Sex(Names.SexId),
            AgeMin = ageMin,
            AgeMax = ageMax,
            Category = parameters.Enum<CrimeCategory>(Names.Category),
            Operation = parameters.Slug(Names.Operation),
            Status = parameters.Enum<NoticeStatus>(Names.Status),
        };
        var paging = parameters.Paging(Names.Page, Names.ResultPerPage, DefaultResultPerPage, MaxResultPerPage);
        return (new NoticeListRequest(filter, paging), parameters.Errors);
    }

    /// <summary>What was asked, as INTERPOL echoes it: page and size always, filters where given.</summary>
    public IReadOnlyDictionary<string, object> Echo()
    {
        var echo = new Dictionary<string, object> { [Names.Page] = Paging.Page, [Names.ResultPerPage] = Paging.Size };
        foreach (var (name, value) in FilterValues())
        {
            if (value is not null)
            {
                echo[name] = value;
            }
        }

        return echo;
    }

    /// <summary>The list's path for <paramref name="page"/>, carrying the same filters and size.</summary>
    public string PathFor(int page) => QueryHelpers.Build(ApiLinks.Root,
    [
        .. FilterValues().Select(p => (p.Name, p.Value is null ? null : Convert.ToString(p.Value, CultureInfo.InvariantCulture))),
        (Names.Page, page.ToString(CultureInfo.InvariantCulture)),
        (Names.ResultPerPage, Paging.Size.ToString(CultureInfo.InvariantCulture)),
    ]);

    private IEnumerable<(string Name, object? Value)> FilterValues() =>
    [
        (Names.Forename, Filter.Forename),
        (Names.Name, Filter.FamilyName),
        (Names.Nationality, Filter.Nationality),
        (Names.AgeMin, Filter.AgeMin),
        (Names.AgeMax, Filter.AgeMax),
        (Names.FreeText, Filter.Name),
        (Names.SexId, Filter.Sex is { } sex ? IndexModel.SexCode(sex) : null),
        (Names.ArrestWarrantCountryId, Filter.WarrantCountry),
        (Names.Category, Filter.Category is { } category ? ApiFormat.Code(category) : null),
        (Names.Operation, Filter.Operation),
        (Names.Status, Filter.Status is { } status ? ApiFormat.Code(status) : null),
    ];
}
