namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>A check done by a script in the visitor's browser, whose answer arrives in <c>Input.WidgetResponse</c>.</summary>
public interface IWidgetCheck
{
    /// <summary>Passing claims the answer for <paramref name="form"/>: no other form can use it.</summary>
    Task<CheckResult> VerifyAsync(string response, string form, CancellationToken cancellationToken);
}
