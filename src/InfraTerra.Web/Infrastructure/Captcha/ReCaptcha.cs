using System.Text.Json.Serialization;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// Google reCAPTCHA v3, checked through its <c>siteverify</c> endpoint. Only the secret and the
/// browser's token are sent (never the visitor's address, which <c>remoteip</c> would add); but the
/// widget itself runs Google's script in the visitor's browser, which is why ProofOfWork is the default.
/// Google accepts each token once, so nothing needs remembering here.
/// </summary>
public sealed class ReCaptcha(HttpClient http, CaptchaSettings settings, ILogger<ReCaptcha> logger) : IWidgetCheck
{
    public const int MaxResponseLength = 4096;

    private readonly ReCaptchaSettings _settings = settings.ReCaptcha
        ?? throw new InvalidOperationException("Captcha:Provider is not ReCaptcha.");

    public async Task<CheckResult> VerifyAsync(string response, string form, Func<CancellationToken, Task<bool>> spendCostlyCheck, CancellationToken cancellationToken)
    {
        if (response.Length is 0 or > MaxResponseLength)
        {
            return CheckResult.Wrong;
        }

        if (!await spendCostlyCheck(cancellationToken))
        {
            return CheckResult.TooMany;
        }

        using var body = new FormUrlEncodedContent([new("secret", _settings.SecretKey), new("response", response)]);
        SiteVerifyAnswer? answer;
        try
        {
            using var reply = await http.PostAsync(_settings.VerifyUrl, body, cancellationToken);
            if (!reply.IsSuccessStatusCode)
            {
                logger.LogWarning("reCAPTCHA siteverify answered {StatusCode}", (int)reply.StatusCode);
                return CheckResult.Unavailable;
            }

            answer = await reply.Content.ReadFromJsonAsync<SiteVerifyAnswer>(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("reCAPTCHA siteverify could not be used ({ErrorType})", e.GetType().Name);
            return CheckResult.Unavailable;
        }

        if (answer is not { Success: true })
        {
            // "timeout-or-duplicate" is Google's way of saying the token was already used or is too old.
            return answer?.ErrorCodes?.Contains("timeout-or-duplicate") == true ? CheckResult.Expired : CheckResult.Wrong;
        }

        var accepted = answer.Action == ReCaptchaSettings.Action
            && answer.Score >= _settings.MinimumScore
            && (_settings.Hostname is null || string.Equals(answer.Hostname, _settings.Hostname, StringComparison.OrdinalIgnoreCase));
        return accepted ? CheckResult.Passed : CheckResult.Wrong;
    }

    private sealed record SiteVerifyAnswer(
        [property: JsonPropertyName("success")] bool Success,
        [property: JsonPropertyName("score")] double Score,
        [property: JsonPropertyName("action")] string? Action,
        [property: JsonPropertyName("hostname")] string? Hostname,
        [property: JsonPropertyName("error-codes")] string[]? ErrorCodes);
}
