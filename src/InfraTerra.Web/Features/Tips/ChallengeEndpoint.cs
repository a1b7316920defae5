using InfraTerra.Web.Infrastructure.Captcha;

namespace InfraTerra.Web.Features.Tips;

/// <summary>
/// <c>/tips/challenge</c>: a fresh signed proof-of-work challenge for the form's widget, fetched when the
/// tipster presses Send. One per tip, seconds before it is posted: kept out of the HTTP metrics like the
/// tip form itself (ADR 0005).
/// </summary>
public static class ChallengeEndpoint
{
    public static IEndpointRouteBuilder MapTipChallenge(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tips/challenge", (CaptchaSettings settings, ProofOfWork proofOfWork, HttpContext http) =>
        {
            if (settings.Provider != CaptchaProvider.ProofOfWork)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.Text(proofOfWork.NewChallengeJson(), "application/json");
        }).DisableHttpMetrics();
        return app;
    }
}
