using InfraTerra.Web.Infrastructure.Abuse;

namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>
/// The tip form's anti-spam check, behind one switch, <c>Captcha:Provider</c>:
/// <list type="bullet">
/// <item><c>ProofOfWork</c> (default): the self-hosted ALTCHA widget; see <see cref="ProofOfWork"/>.</item>
/// <item><c>ReCaptcha</c>: Google reCAPTCHA v3; see <see cref="ReCaptcha"/>.</item>
/// <item><c>Question</c>: only the server-rendered question.</item>
/// <item><c>None</c>: no check, for development and tests only; refused elsewhere at start-up.</item>
/// </list>
/// With either widget the question stays the way in for browsers without JavaScript (Tor Browser's
/// safest level), and the fallback when the widget fails; those tips count more against the hourly limit.
/// </summary>
public sealed class HumanCheck
{
    private readonly ServerQuestion _question;
    private readonly IWidgetCheck? _widget;
    private readonly SubmissionLimits _limits;
    private readonly ClientKeys _clients;
    private readonly IHttpContextAccessor _http;

    public HumanCheck(CaptchaSettings settings, ServerQuestion question, SubmissionLimits limits, ClientKeys clients, IHttpContextAccessor http, IServiceProvider services)
    {
        Settings = settings;
        _question = question;
        _limits = limits;
        _clients = clients;
        _http = http;
        _widget = settings.Provider switch
        {
            CaptchaProvider.ProofOfWork => services.GetRequiredService<ProofOfWork>(),
            CaptchaProvider.ReCaptcha => services.GetRequiredService<ReCaptcha>(),
            _ => null,
        };
    }

    public CaptchaSettings Settings { get; }

    public bool Enabled => Settings.Provider != CaptchaProvider.None;

    public ServerQuestion.Challenge? NewQuestion() => Enabled ? _question.Issue() : null;

    /// <param name="form">The form's idempotency key: a passing answer is claimed by this form alone.</param>
    public async Task<CheckOutcome> VerifyAsync(string? widgetResponse, string? questionToken, string? answer, string form, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return new CheckOutcome(CheckResult.Passed, ThroughQuestion: false, WidgetFailed: false, AnsweredQuestion: false);
        }

        if (_widget is not null && !string.IsNullOrEmpty(widgetResponse))
        {
            var result = await _widget.VerifyAsync(widgetResponse, form, SpendCostlyCheck, cancellationToken);
            if (result == CheckResult.Passed || string.IsNullOrWhiteSpace(answer))
            {
                return new CheckOutcome(result, ThroughQuestion: false, WidgetFailed: result != CheckResult.Passed, AnsweredQuestion: false);
            }
        }

        return new CheckOutcome(await _question.VerifyAsync(questionToken, answer, form, cancellationToken), ThroughQuestion: _widget is not null, WidgetFailed: false, AnsweredQuestion: true);
    }

    /// <summary>
    /// The client's hourly budget of costly widget checks. Past it the widget's answer is refused
    /// unchecked (<see cref="CheckResult.TooMany"/>, which reads as a failed widget, so the
    /// question, which costs the server nothing and more of the tip budget, stays a way through).
    /// </summary>
    private async Task<bool> SpendCostlyCheck(CancellationToken cancellationToken) =>
        _http.HttpContext is not { } context
        || await _limits.TryAcquireProofCheckAsync(_clients.For(context), cancellationToken);
}

/// <param name="ThroughQuestion">Passed by the no-script question although a widget was offered: counts more against the limit.</param>
/// <param name="WidgetFailed">The widget's answer was refused (<see cref="CheckResult.TooMany"/> included): the page shows the question as well.</param>
/// <param name="AnsweredQuestion">Decided by the question, whatever the provider: such tips share a ceiling for all clients.</param>
public sealed record CheckOutcome(CheckResult Result, bool ThroughQuestion, bool WidgetFailed, bool AnsweredQuestion)
{
    public bool Passed => Result == CheckResult.Passed;

    /// <summary>The client's hourly budget of costly checks is spent: answer 429 with the text kept.</summary>
    public bool OverBudget => Result == CheckResult.TooMany;
}
