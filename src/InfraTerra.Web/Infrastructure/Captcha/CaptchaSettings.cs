using InfraTerra.Web.Infrastructure;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>Which anti-spam check the tip form uses (<c>Captcha:Provider</c>), read and checked once at start-up.</summary>
public sealed record CaptchaSettings(CaptchaProvider Provider, ReCaptchaSettings? ReCaptcha)
{
    /// <summary>A widget that needs JavaScript; without it, the server-rendered question is the fallback.</summary>
    public bool HasWidget => Provider is CaptchaProvider.ProofOfWork or CaptchaProvider.ReCaptcha;

    public static CaptchaSettings From(IConfiguration configuration, DevRelaxations relaxations)
    {
        var name = configuration["Captcha:Provider"];
        if (!Enum.TryParse<CaptchaProvider>(string.IsNullOrWhiteSpace(name) ? nameof(CaptchaProvider.ProofOfWork) : name, ignoreCase: true, out var provider)
            || !Enum.IsDefined(provider))
        {
            throw new InvalidOperationException($"Captcha:Provider '{name}' is unknown; use ProofOfWork, ReCaptcha, Question (or None with Dev:AllowNoCaptcha).");
        }

        if (provider == CaptchaProvider.None && !relaxations.AllowNoCaptcha)
        {
            throw new InvalidOperationException("Captcha:Provider None is allowed only with Dev:AllowNoCaptcha, for development and tests.");
        }

        return new CaptchaSettings(provider, provider == CaptchaProvider.ReCaptcha ? ReCaptchaSettings.From(configuration) : null);
    }
}

public enum CaptchaProvider
{
    /// <summary>Self-hosted ALTCHA widget; nothing leaves the portal.</summary>
    ProofOfWork,

    /// <summary>Google reCAPTCHA v3: the visitor's browser talks to Google.</summary>
    ReCaptcha,

    /// <summary>Only the server-rendered question, for sites that want no script at all.</summary>
    Question,

    /// <summary>No check: development and tests only (<c>Dev:AllowNoCaptcha</c>).</summary>
    None,
}

public sealed record ReCaptchaSettings(string SiteKey, string SecretKey, double MinimumScore, Uri VerifyUrl, Uri ScriptUrl, string? Hostname)
{
    public const string Action = "tip";

    public static ReCaptchaSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Captcha:ReCaptcha");
        var siteKey = section["SiteKey"];
        var secretKey = section["SecretKey"];
        if (string.IsNullOrWhiteSpace(siteKey) || string.IsNullOrWhiteSpace(secretKey))
        {
            throw new InvalidOperationException("Captcha:Provider ReCaptcha needs Captcha:ReCaptcha:SiteKey and Captcha:ReCaptcha:SecretKey.");
        }

        var score = section.GetValue("MinimumScore", 0.5);
        if (score is < 0 or > 1)
        {
            throw new InvalidOperationException("Captcha:ReCaptcha:MinimumScore must be between 0 and 1.");
        }

        return new ReCaptchaSettings(
            siteKey.Trim(),
            secretKey.Trim(),
            score,
            new Uri(section["VerifyUrl"] is { Length: > 0 } verify ? verify : "https://www.google.com/recaptcha/api/siteverify"),
            new Uri(section["ScriptUrl"] is { Length: > 0 } script ? script : "https://www.google.com/recaptcha/api.js"),
            section["Hostname"] is { Length: > 0 } host ? host : null);
    }
}
