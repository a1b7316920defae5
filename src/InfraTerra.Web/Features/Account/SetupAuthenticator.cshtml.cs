using System.Text;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Account;

/// <summary>
/// Every officer account needs an authenticator app before any officer page opens. Set-up is open
/// only to the session that has just signed in with the password of an account without one, for a
/// short while; each visit makes a new key and shows it once, so a key seen earlier or elsewhere
/// is worthless, and an account that has a second factor cannot be given another one here.
/// </summary>
[NoStore]
public sealed class SetupAuthenticatorModel(
    SignInManager<OfficerUser> signIn, AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    public SetupState State { get; private set; }
    public string SharedKey { get; private set; } = "";
    public string AuthenticatorUri { get; private set; } = "";
    public string QrSvg { get; private set; } = "";
    public string Home { get; private set; } = "/triage";
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }

        if (user.MustChangePassword)
        {
            return RedirectToPage("/Account/ChangePassword");
        }

        if (user.TwoFactorEnabled && User.HasSecondFactor())
        {
            return LocalRedirect("/triage");
        }

        if (await RefusalAsync(user) is { } refused)
        {
            return refused;
        }

        await signIn.UserManager.ResetAuthenticatorKeyAsync(user);
        // The new key changed the security stamp: this session carries the new one, any other ends.
        await signIn.RefreshSignInAsync(user);
        var key = await signIn.UserManager.GetAuthenticatorKeyAsync(user);
        State = SetupState.ShowKey;
        SharedKey = FormatKey(key!);
        AuthenticatorUri = AuthenticatorQr.Uri(user.Email!, key!);
        QrSvg = AuthenticatorQr.Svg(AuthenticatorUri, t["QR code of the key, for your authenticator app's camera"]);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }

        if (user.MustChangePassword)
        {
            return RedirectToPage("/Account/ChangePassword");
        }

        if (await RefusalAsync(user) is { } refused)
        {
            return refused;
        }

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var valid = code.Length is > 0 and <= 10
            && !string.IsNullOrEmpty(await signIn.UserManager.GetAuthenticatorKeyAsync(user))
            && await signIn.UserManager.VerifyTwoFactorTokenAsync(user, signIn.UserManager.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!valid)
        {
            ModelState.AddModelError(nameof(Code), t["That code is not correct. Check the time on your phone and enter the current code."]);
            State = SetupState.CodeOnly;
            return Page();
        }

        await signIn.UserManager.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await signIn.UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
        var actor = new AuditActor(user.Id, user.Email ?? user.Id);
        await audit.RecordAsync(new AuditEntry(actor, AuditActions.SecondFactorEnrolled, Detail: "authenticator app"));
        await audit.RecordAsync(new AuditEntry(actor, AuditActions.RecoveryCodesGenerated, Detail: $"{RecoveryCodes.Count} codes"));
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            [new(OfficerAccounts.SecondFactorClaim, OfficerAccounts.SecondFactorValue)]);
        Home = await OfficerAccounts.HomeAsync(signIn.UserManager, user);
        State = SetupState.Done;
        return Page();
    }

    private async Task<IActionResult?> RefusalAsync(OfficerUser user)
    {
        if (user.TwoFactorEnabled)
        {
            State = SetupState.AlreadySetUp;
        }
        else if (!await OfficerSessions.MayEnrolAsync(HttpContext))
        {
            State = SetupState.WindowClosed;
        }
        else
        {
            return null;
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    private static string FormatKey(string key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            builder.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return builder.ToString().TrimEnd().ToLowerInvariant();
    }

    public enum SetupState
    {
        ShowKey,
        CodeOnly,
        Done,
        AlreadySetUp,
        WindowClosed,
    }
}
