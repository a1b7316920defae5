using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace InfraTerra.Web.Features.Api;

/// <summary>
/// A JSON document with validators: the ETag is a hash of the exact bytes, so it changes
/// whenever anything a client can see changes; conditional requests get 304.
/// </summary>
public static class ApiResponse
{
    public const string ContentType = "application/json; charset=utf-8";

    // Clients may keep a copy but must revalidate: a withdrawn notice leaves at once.
    public const string CacheControl = "no-cache";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Names such as Fëisal as characters and hrefs with a plain &, as INTERPOL writes them. Safe here:
        // the document is only ever served as application/json with nosniff, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Json<T>(HttpContext http, T document, DateTime lastModifiedUtc)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions);
        var entityTag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))}\"");
        http.Response.Headers.CacheControl = CacheControl;

        // The file result evaluates If-None-Match and If-Modified-Since (RFC 9110) and answers 304.
        return Results.Bytes(
            body,
            ContentType,
            lastModified: new DateTimeOffset(DateTime.SpecifyKind(lastModifiedUtc, DateTimeKind.Utc)),
            entityTag: entityTag);
    }
}
