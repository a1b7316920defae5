using System.Text;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Account;

/// <summary>Every officer account needs an authenticator app before any officer page opens.</summary>
[NoStore]
public sealed class SetupAuthenticatorModel(
    SignInManager<OfficerUser> signIn, IStringLocalizer<SharedResource> t) : PageModel
{
    public string SharedKey { get; private set; } = "";
    public string AuthenticatorUri { get; private set; } = "";
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

        await LoadKeyAsync(user);
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

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var valid = code.Length is > 0 and <= 10 && await signIn.UserManager.VerifyTwoFactorTokenAsync(
            user, signIn.UserManager.Options.Tokens.AuthenticatorTokenProvider, code);
        if (!valid)
        {
            ModelState.AddModelError(nameof(Code), t["That code is not correct. Check the time on your phone and enter the current code."]);
            await LoadKeyAsync(user);
            return Page();
        }

        await signIn.UserManager.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await signIn.UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            [new(WebAppSetup.SecondFactorClaim, WebAppSetup.SecondFactorValue)]);
        return Page();
    }

    private async Task LoadKeyAsync(OfficerUser user)
    {
        var key = await signIn.UserManager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await signIn.UserManager.ResetAuthenticatorKeyAsync(user);
            key = await signIn.UserManager.GetAuthenticatorKeyAsync(user);
        }

        SharedKey = FormatKey(key!);
        AuthenticatorUri = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString("InfraTerra:" + user.Email)}?secret={key}&issuer=InfraTerra&digits=6");
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
}
