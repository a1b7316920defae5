namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>A check done by a script in the visitor's browser, whose answer arrives in <c>Input.WidgetResponse</c>.</summary>
public interface IWidgetCheck
{
    Task<CheckResult> VerifyAsync(string response, CancellationToken cancellationToken);

    /// <summary>Called once the tip is stored, so the same answer cannot send another.</summary>
    void Consume(string response);
}
