namespace InfraTerra.Web.Infrastructure.Captcha;

/// <summary>A check done by a script in the visitor's browser, whose answer arrives in <c>Input.WidgetResponse</c>.</summary>
public interface IWidgetCheck
{
    /// <summary>Passing claims the answer for <paramref name="form"/>: no other form can use it.</summary>
    /// <param name="spendCostlyCheck">
    /// Called once the cheap checks passed and just before the costly step (a key derivation, a call
    /// to Google); false means the client's hourly budget of such checks is spent: <see cref="CheckResult.TooMany"/>.
    /// </param>
    Task<CheckResult> VerifyAsync(string response, string form, Func<CancellationToken, Task<bool>> spendCostlyCheck, CancellationToken cancellationToken);
}
