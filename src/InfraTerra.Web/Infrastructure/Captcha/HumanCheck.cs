using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// The anti-spam check on the tip form, behind one switch, <c>Captcha:Provider</c>.
/// <list type="bullet">
/// <item><c>Question</c> (default): a small sum rendered by the server, readable by screen
/// readers and in any language, with no JavaScript and nothing from a third party. Its answer
/// travels in a protected, time-limited token, which also carries when the form was shown:
/// answers sooner than <c>Captcha:MinimumFillSeconds</c> are refused, and each token works once.</item>
/// <item><c>None</c>: no check, for development and tests only; refused elsewhere at start-up.</item>
/// </list>
/// </summary>
public sealed class HumanCheck
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(2);

    private readonly ITimeLimitedDataProtector _protector;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _minimumFill;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    public HumanCheck(IDataProtectionProvider protection, TimeProvider clock, IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration["Captcha:Provider"];
        Enabled = !string.Equals(provider, "None", StringComparison.OrdinalIgnoreCase);
        if (!Enabled && !environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
        {
            throw new InvalidOperationException("Captcha:Provider None is allowed only in Development and Testing.");
        }

        if (Enabled && !string.IsNullOrWhiteSpace(provider) && !string.Equals(provider, "Question", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Captcha:Provider '{provider}' is not available; use Question (or None in development).");
        }

        _protector = protection.CreateProtector("InfraTerra.Tips.HumanCheck").ToTimeLimitedDataProtector();
        _clock = clock;
        _minimumFill = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Captcha:MinimumFillSeconds", 3.0), 0, 60));
    }

    public bool Enabled { get; }

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
    /// Checks without using the token up: a retry of the same form after a failed save, or a
    /// double click, must pass again. <see cref="Consume"/> it once the tip is stored.
    /// </summary>
    public CheckResult Verify(string? token, string? answer)
    {
        if (!Enabled)
        {
            return CheckResult.Passed;
        }

        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return CheckResult.Expired;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return CheckResult.Expired;
        }

        var parts = payload.Split('|');
        var expected = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var issued = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
        var now = _clock.GetUtcNow();
        if (now - issued < _minimumFill)
        {
            return CheckResult.TooFast;
        }

        if (ReadNumber(answer) != expected)
        {
            return CheckResult.Wrong;
        }

        return _used.ContainsKey(parts[2]) ? CheckResult.Expired : CheckResult.Passed;
    }

    /// <summary>One answered question, one tip: a bot cannot reuse a solved token for new forms.</summary>
    public void Consume(string? token)
    {
        if (!Enabled || string.IsNullOrEmpty(token))
        {
            return;
        }

        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            var issued = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
            Forget(_clock.GetUtcNow());
            _used.TryAdd(parts[2], issued + TokenLifetime);
        }
        catch (CryptographicException)
        {
            // Verified moments ago; a token that cannot be read now has simply expired.
        }
    }

    /// <summary>Accepts digits of any script (Arabic-Indic too) and surrounding spaces.</summary>
    private static int? ReadNumber(string? answer)
    {
        var digits = (answer ?? "").Trim();
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

    private void Forget(DateTimeOffset now)
    {
        foreach (var (nonce, expires) in _used)
        {
            if (expires < now)
            {
                _used.TryRemove(nonce, out _);
            }
        }
    }

    public sealed record Challenge(int First, int Second, string Token);
}

public enum CheckResult
{
    Passed,
    Wrong,
    TooFast,
    Expired,
}
