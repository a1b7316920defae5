using InfraTerra.Web.Catalogue;
using InfraTerra.Web.Domain;
using static InfraTerra.Web.Features.Api.NoticeListRequest;

namespace InfraTerra.Web.Features.Api;

/// <summary>Errors as RFC 9457 problem details (<c>application/problem+json</c>), in English like the API's names.</summary>
public static class ApiProblems
{
    public static IResult InvalidParameters(IEnumerable<ParameterError> errors) => Results.ValidationProblem(
        errors.GroupBy(e => e.Parameter, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(Explain).Distinct().ToArray(), StringComparer.Ordinal),
        title: "One or more query parameters are not valid.",
        detail: "See errors: each names a parameter and what it accepts.");

    /// <summary>Null when the notice is public; otherwise 404 (never published, or unknown) or 410 (withdrawn, or no longer listed).</summary>
    public static IResult? ForVisibility(PageVisibility visibility) => visibility switch
    {
        PageVisibility.NotFound => Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Notice not found",
            detail: "No published notice has this id. Ids are written with a dash, such as 2014-12345."),
        PageVisibility.Gone => Results.Problem(
            statusCode: StatusCodes.Status410Gone,
            title: "Notice no longer published",
            detail: "This notice has been withdrawn, or the person was arrested, and it is no longer published."),
        _ => null,
    };

    public static string Explain(ParameterError error) => error.Problem switch
    {
        ParameterProblem.Repeated => "Give this parameter once only.",
        ParameterProblem.TooLong => $"Give at most {QueryParameters.MaxTextLength} characters.",
        ParameterProblem.MinAboveMax => $"{Names.AgeMin} is above {Names.AgeMax}.",
        ParameterProblem.OutOfRange => error.Parameter switch
        {
            Names.Page => $"Give a page number from 1 to {QueryParameters.MaxPage}.",
            Names.ResultPerPage => $"Give a number of results per page from 1 to {MaxResultPerPage}.",
            _ => $"Give an age from 0 to {QueryParameters.MaxAge}.",
        },
        _ => error.Parameter switch
        {
            Names.Nationality or Names.ArrestWarrantCountryId => "Give an ISO 3166-1 alpha-2 country code, such as KE.",
            Names.SexId => "Give F, M or U.",
            Names.Category => $"Give one of: {Choices<CrimeCategory>()}.",
            Names.Status => $"Give one of: {Choices<NoticeStatus>()}.",
            Names.Operation => "Give an operation's slug: letters, digits and dashes, such as infra-terra.",
            Names.Page or Names.ResultPerPage or Names.AgeMin or Names.AgeMax => "Give a whole number.",
            _ => "Remove control characters.",
        },
    };

    private static string Choices<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetValues<TEnum>().Select(ApiFormat.Code));
}
