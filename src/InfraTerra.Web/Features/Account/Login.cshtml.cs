using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Account;

[NoStore]
public sealed class LoginModel(
    SignInManager<OfficerUser> signIn,
    SignInGuard guard,
    AuditLog audit,
    IValidator<LoginModel.InputModel> validator,
    IStringLocalizer<SharedResource> t,
    ILogger<LoginModel> logger) : PageModel
{
    private static readonly OfficerUser TimingDecoy = new();

    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<OfficerUser>().HashPassword(TimingDecoy, Guid.NewGuid().ToString()));

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var validation = await validator.ValidateAsync(Input);
        if (!validation.IsValid)
        {
            ModelState.AddModelError("", validation.Errors[0].ErrorMessage);
            return Page();
        }

        try
        {
            return await SignInAsync();
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            // The guard (Redis) or the database could not be reached: nothing is decided. When the
            // guard could not count the attempt, the password was not even tried, so neither the guard
            // nor the account's lockout nor the audit log records a failure; a sign-in that went through
            // before the guard failed is undone, so no half-signed-in session is left.
            logger.LogError("A sign-in could not be completed: the shared state or the database is unavailable ({ErrorType})", e.GetType().Name);
            await signIn.SignOutAsync();
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "60";
            ModelState.AddModelError("", t["Sign-in is unavailable just now. Please try again in a few minutes."]);
            return Page();
        }
    }

    private async Task<IActionResult> SignInAsync()
    {
        if (!await guard.TryBeginAttemptAsync(HttpContext, HttpContext.RequestAborted))
        {
            return Failed();
        }

        var user = await signIn.UserManager.FindByEmailAsync(Input.Email!);
        if (user is null || user.DisabledAtUtc is not null || await signIn.UserManager.IsLockedOutAsync(user))
        {
            // Spend the same time as a real check, so timing does not tell which addresses have
            // accounts or which accounts are locked.
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(TimingDecoy, DecoyHash.Value, Input.Password!);

            // An address that matches no account is not kept: it may be a password typed in the wrong field.
            await audit.RecordAsync(user is null
                ? new AuditEntry(UnknownAccount, AuditActions.SignInFailed, Detail: "no such account")
                : new AuditEntry(Actor(user), AuditActions.SignInFailed, Detail: user.DisabledAtUtc is not null ? "account disabled" : "account locked out"));
            return Failed();
        }

        var result = await signIn.PasswordSignInAsync(user, Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            await audit.RecordAsync(new AuditEntry(Actor(user), AuditActions.SignInFailed,
                Detail: result.IsLockedOut ? "wrong password; account now locked out" : "wrong password"));
        }
        else if (result.Succeeded)
        {
            await audit.RecordAsync(new AuditEntry(Actor(user), AuditActions.SignedIn, Detail: "password only, set-up steps pending"));
        }
        if (result.RequiresTwoFactor || result.Succeeded)
        {
            await guard.SucceededAsync(HttpContext, HttpContext.RequestAborted);
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/LoginWith2fa", new { ReturnUrl });
        }

        if (!result.Succeeded)
        {
            return Failed();
        }

        // Signed in with a password only: the account still has set-up steps before any officer page opens.
        return user.MustChangePassword
            ? RedirectToPage("/Account/ChangePassword")
            : RedirectToPage("/Account/SetupAuthenticator");
    }

    private static readonly AuditActor UnknownAccount = new(null, "unknown account");

    private static AuditActor Actor(OfficerUser user) => new(user.Id, user.Email ?? user.Id);

    /// <summary>One message for every failure (unknown address, wrong password, locked or disabled account, throttled client), so it tells nothing about accounts.</summary>
    private PageResult Failed()
    {
        ModelState.AddModelError("", t["The email address or password is not correct, or sign-in is paused after too many failed attempts. Try again in 15 minutes or ask an administrator."]);
        return Page();
    }

    public sealed class InputModel
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public InputValidator(IStringLocalizer<SharedResource> t)
        {
            var message = t["Enter your email address and password."];
            RuleFor(i => i.Email).NotEmpty().WithMessage(message).MaximumLength(256).WithMessage(message);
            RuleFor(i => i.Password).NotEmpty().WithMessage(message).MaximumLength(200).WithMessage(message);
        }
    }
}
