using InfraTerra.Web.Infrastructure.Captcha;

namespace InfraTerra.Web.Infrastructure;

/// <summary>Strict headers on every response: nothing third-party, no framing, no referrer leaks.</summary>
public static class SecurityHeaders
{
    /// <summary>Workers come from 'self': the proof-of-work widget loads its worker as a file, not a blob.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
        "font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), " +
        "payment=(), usb=(), interest-cohort=(), browsing-topics=()";

    /// <summary>Only when an operator chose reCAPTCHA: Google's script, frame and calls, as Google documents them.</summary>
    public static string PolicyFor(CaptchaSettings captcha) => captcha.Provider != CaptchaProvider.ReCaptcha
        ? ContentSecurityPolicy
        : ContentSecurityPolicy
            .Replace("script-src 'self'", "script-src 'self' https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/", StringComparison.Ordinal)
            .Replace("connect-src 'self'", "connect-src 'self' https://www.google.com/recaptcha/", StringComparison.Ordinal)
            .Replace("frame-src 'none'", "frame-src https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/", StringComparison.Ordinal);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var policy = PolicyFor(app.ApplicationServices.GetRequiredService<CaptchaSettings>());
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                // A response that set a stricter policy of its own (a tipster's file, a photo) keeps it.
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = policy;
                }

                headers["Referrer-Policy"] = "no-referrer";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next();
        });
    }
}
