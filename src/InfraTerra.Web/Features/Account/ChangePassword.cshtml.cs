using FluentValidation;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Account;

[NoStore]
public sealed class ChangePasswordModel(
    SignInManager<OfficerUser> signIn,
    AuditLog audit,
    IValidator<ChangePasswordModel.InputModel> validator) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool IsFirstSignIn { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }

        if (user.TwoFactorEnabled && !User.HasSecondFactor())
        {
            return Forbid();
        }

        IsFirstSignIn = user.MustChangePassword;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("/Account/Login");
        }

        if (user.TwoFactorEnabled && !User.HasSecondFactor())
        {
            return Forbid();
        }

        IsFirstSignIn = user.MustChangePassword;
        var validation = await validator.ValidateAsync(Input);
        foreach (var error in validation.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }

        if (!validation.IsValid)
        {
            return Page();
        }

        var result = await signIn.UserManager.ChangePasswordAsync(user, Input.CurrentPassword!, Input.NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("", error.Description);
            }

            return Page();
        }

        var wasOneTime = user.MustChangePassword;
        user.MustChangePassword = false;
        await signIn.UserManager.UpdateAsync(user);
        await audit.RecordAsync(new AuditEntry(new AuditActor(user.Id, user.Email ?? user.Id), AuditActions.PasswordChanged,
            Detail: wasOneTime ? "one-time password replaced" : null));
        await signIn.RefreshSignInAsync(user);
        return user.TwoFactorEnabled
            ? LocalRedirect(await OfficerAccounts.HomeAsync(signIn.UserManager, user))
            : RedirectToPage("/Account/SetupAuthenticator");
    }

    public sealed class InputModel
    {
        public string? CurrentPassword { get; set; }
        public string? NewPassword { get; set; }
        public string? ConfirmPassword { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public InputValidator(IStringLocalizer<SharedResource> t)
        {
            RuleFor(i => i.CurrentPassword).NotEmpty().WithMessage(t["Enter your current password."]);
            RuleFor(i => i.NewPassword)
                .NotEmpty().WithMessage(t["Choose a new password."])
                .MinimumLength(12).WithMessage(t["The new password must have at least 12 characters."])
                .MaximumLength(200).WithMessage(t["The new password can have at most 200 characters."])
                .NotEqual(i => i.CurrentPassword).WithMessage(t["The new password must differ from the current one."]);
            RuleFor(i => i.ConfirmPassword)
                .Equal(i => i.NewPassword).WithMessage(t["The two new passwords do not match."]);
        }
    }
}
