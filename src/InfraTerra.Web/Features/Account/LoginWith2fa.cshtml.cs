using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Account;

[AllowAnonymous]
[NoStore]
public sealed class LoginWith2faModel(
    SignInManager<OfficerUser> signIn, AuditLog audit, IStringLocalizer<SharedResource> t) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public bool UseRecoveryCode { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }

        // Recovery codes are stored with their dash ("XXXXX-XXXXX"); authenticator codes are digits only.
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (!UseRecoveryCode)
        {
            code = code.Replace("-", "", StringComparison.Ordinal);
        }

        if (code.Length is 0 or > 20)
        {
            ModelState.AddModelError("", t["Enter the code from your authenticator app."]);
            return Page();
        }

        var result = UseRecoveryCode
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(code)
            : await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        var actor = new AuditActor(user.Id, user.Email ?? user.Id);
        var method = UseRecoveryCode ? "recovery code" : "authenticator code";
        if (!result.Succeeded)
        {
            await audit.RecordAsync(new AuditEntry(actor, AuditActions.SignInFailed,
                Detail: result.IsLockedOut ? $"{method} refused: account locked out" : $"wrong {method}"));
        }
        else
        {
            await audit.RecordAsync(new AuditEntry(actor, AuditActions.SignedIn, Detail: $"password and {method}"));
        }

        if (result.IsLockedOut)
        {
            ModelState.AddModelError("", t["This account is locked after too many failed attempts. Try again in 15 minutes or ask an administrator."]);
            return Page();
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError("", t["That code is not correct. Codes change every 30 seconds."]);
            return Page();
        }

        if (user.MustChangePassword)
        {
            return RedirectToPage("/Account/ChangePassword");
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : await OfficerAccounts.HomeAsync(signIn.UserManager, user));
    }
}
