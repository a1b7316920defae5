using System.Globalization;
using System.Text.RegularExpressions;
using InfraTerra.Web.Domain;
using Microsoft.Extensions.Primitives;

namespace InfraTerra.Web.Catalogue;

/// <summary>
/// Reads query-string parameters strictly: each bad value becomes a <see cref="ParameterError"/>
/// naming the parameter, so pages can explain and the API can answer 400.
/// </summary>
public sealed partial class QueryParameters(IQueryCollection query)
{
    public const int MaxTextLength = 100;
    public const int MaxAge = 120;
    public const int MaxPage = 100_000;

    private readonly List<ParameterError> _errors = [];

    public IReadOnlyList<ParameterError> Errors => _errors;

    public string? Text(string name)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length > MaxTextLength)
        {
            return Fail<string>(name, ParameterProblem.TooLong);
        }

        return value.Any(char.IsControl) ? Fail<string>(name, ParameterProblem.Invalid) : value;
    }

    /// <summary>An ISO 3166-1 alpha-2 country code, upper-cased.</summary>
    public string? Country(string name)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        var code = value.ToUpperInvariant();
        return Countries.IsKnown(code) ? code : Fail<string>(name, ParameterProblem.Invalid);
    }

    public Sex? Sex(string name) => Single(name)?.ToUpperInvariant() switch
    {
        null => null,
        "F" => Domain.Sex.Female,
        "M" => Domain.Sex.Male,
        "U" => Domain.Sex.Unknown,
        _ => Fail<Sex>(name, ParameterProblem.Invalid),
    };

    public int? Integer(string name, int min, int max)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Fail<int>(name, ParameterProblem.Invalid);
        }

        return number < min || number > max ? Fail<int>(name, ParameterProblem.OutOfRange) : number;
    }

    public TEnum? Enum<TEnum>(string name)
        where TEnum : struct, Enum
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        return System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && !int.TryParse(value, out _) && System.Enum.IsDefined(parsed)
            ? parsed
            : Fail<TEnum>(name, ParameterProblem.Invalid);
    }

    public string? Slug(string name)
    {
        var value = Single(name);
        if (value is null)
        {
            return null;
        }

        return SlugPattern().IsMatch(value) ? value.ToLowerInvariant() : Fail<string>(name, ParameterProblem.Invalid);
    }

    /// <summary>Ages as a pair, so "ageMin above ageMax" is reported on the minimum.</summary>
    public (int? Min, int? Max) AgeRange(string minName, string maxName)
    {
        var min = Integer(minName, 0, MaxAge);
        var max = Integer(maxName, 0, MaxAge);
        if (min is { } low && max is { } high && low > high)
        {
            _errors.Add(new ParameterError(minName, ParameterProblem.MinAboveMax));
            return (null, null);
        }

        return (min, max);
    }

    /// <summary>A page number (from 1) and a page size (from 1 to <paramref name="maxSize"/>), each checked on its own.</summary>
    public Paging Paging(string pageName, string sizeName, int defaultSize, int maxSize) =>
        new(Integer(pageName, 1, MaxPage) ?? 1, Integer(sizeName, 1, maxSize) ?? defaultSize);

    private string? Single(string name)
    {
        if (!query.TryGetValue(name, out StringValues values) || StringValues.IsNullOrEmpty(values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            _errors.Add(new ParameterError(name, ParameterProblem.Repeated));
            return null;
        }

        var value = values[0]!.Trim();
        return value.Length == 0 ? null : value;
    }

    private T? Fail<T>(string name, ParameterProblem problem)
    {
        _errors.Add(new ParameterError(name, problem));
        return default;
    }

    [GeneratedRegex("^[a-zA-Z0-9-]{1,80}$")]
    private static partial Regex SlugPattern();
}

public enum ParameterProblem
{
    Invalid,
    TooLong,
    OutOfRange,
    Repeated,
    MinAboveMax,
}

public sealed record ParameterError(string Parameter, ParameterProblem Problem);

public readonly record struct Paging(int Page, int Size)
{
    public int Skip => (Page - 1) * Size;

    /// <summary>The number of the last page; an empty result still has one (empty) page.</summary>
    public int LastPage(int total) => Math.Max(1, (total + Size - 1) / Size);
}
