using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// The check that needs no JavaScript: a small sum rendered by the server, readable by screen
/// readers and in any language, with nothing from a third party. Its answer travels in a
/// protected, time-limited token, which also carries when the form was shown: answers sooner
/// than <c>Captcha:MinimumFillSeconds</c> are refused, and each token works once.
/// </summary>
public sealed class ServerQuestion
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(2);

    private readonly ITimeLimitedDataProtector _protector;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _minimumFill;
    private readonly OneTimeUse _used;

    public const string ClaimKind = "question";

    public ServerQuestion(IDataProtectionProvider protection, TimeProvider clock, IConfiguration configuration, OneTimeUse used)
    {
        _protector = protection.CreateProtector("InfraTerra.Tips.HumanCheck").ToTimeLimitedDataProtector();
        _clock = clock;
        _minimumFill = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Captcha:MinimumFillSeconds", 3.0), 0, 60));
        _used = used;
    }

    public Challenge Issue()
    {
        var first = RandomNumberGenerator.GetInt32(1, 10);
        var second = RandomNumberGenerator.GetInt32(1, 10);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var issued = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var payload = string.Create(CultureInfo.InvariantCulture, $"{first + second}|{issued}|{nonce}");
        return new Challenge(first, second, _protector.Protect(payload, TokenLifetime));
    }

    /// <summary>
    /// A right answer claims the token for <paramref name="form"/>: a retry or a double click of
    /// that form passes again, any other form is refused.
    /// </summary>
    public async Task<CheckResult> VerifyAsync(string? token, string? answer, string form, CancellationToken cancellationToken)
    {
        if (Read(token) is not { } question)
        {
            return CheckResult.Expired;
        }

        if (_clock.GetUtcNow() - question.Issued < _minimumFill)
        {
            return CheckResult.TooFast;
        }

        if (string.IsNullOrWhiteSpace(answer))
        {
            return CheckResult.Missing;
        }

        if (ReadNumber(answer) != question.Answer)
        {
            return CheckResult.Wrong;
        }

        return await _used.TryClaimAsync(ClaimKind, question.Nonce, form, question.Issued + TokenLifetime, cancellationToken) ? CheckResult.Passed : CheckResult.Expired;
    }

    private Question? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            return new Question(
                int.Parse(parts[0], CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)),
                parts[2]);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Accepts digits of any script (Arabic-Indic too) and surrounding spaces.</summary>
    private static int? ReadNumber(string answer)
    {
        var digits = answer.Trim();
        if (digits.Length is 0 or > 4)
        {
            return null;
        }

        var value = 0;
        foreach (var c in digits)
        {
            var digit = (int)char.GetNumericValue(c);
            if (!char.IsDigit(c) || digit < 0)
            {
                return null;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    private sealed record Question(int Answer, DateTimeOffset Issued, string Nonce);

    public sealed record Challenge(int First, int Second, string Token);
}

public enum CheckResult
{
    Passed,
    Missing,
    Wrong,
    TooFast,
    Expired,

    /// <summary>The checking service could not be reached (reCAPTCHA): the question is offered instead.</summary>
    Unavailable,

    /// <summary>The client spent its hourly budget of costly widget checks (<c>RateLimits:ProofChecksPerHour</c>); nothing costly was run.</summary>
    TooMany,
}
