using FluentValidation;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InfraTerra.Web.Features.Admin;

/// <summary>Creates an officer account and shows its one-time password once, in this response only.</summary>
[NoStore]
public sealed class NewAccountModel(AccountAdministration accounts, IValidator<NewAccountModel.InputModel> validator) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? CreatedEmail { get; private set; }
    public string? OneTimePassword { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(Input, cancellationToken);
        foreach (var error in validation.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }

        if (!validation.IsValid)
        {
            return Page();
        }

        var desks = AccountAdministration.ParseDesks(Input.Desks, out _);
        try
        {
            var created = await accounts.CreateAsync(Input.Email!.Trim(), Input.Selected(), desks, CurrentOfficer.From(HttpContext).Actor, cancellationToken);
            CreatedEmail = created.User.Email;
            OneTimePassword = created.OneTimePassword;
        }
        catch (AccountChangeRefused e)
        {
            ModelState.AddModelError("", e.Message);
        }

        return Page();
    }

    public sealed class InputModel : RoleChoice
    {
        public string? Email { get; set; }

        /// <summary>Country codes or GENERAL, separated by commas or spaces.</summary>
        public string? Desks { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public InputValidator()
        {
            RuleFor(i => i.Email)
                .NotEmpty().WithMessage("Enter the officer's e-mail address.")
                .MaximumLength(256).WithMessage("The e-mail address can have at most 256 characters.")
                .EmailAddress().WithMessage("Enter an e-mail address like name@example.org.");
            RuleFor(i => i.Officer).Must((i, _) => i.Selected().Count > 0).OverridePropertyName("Roles")
                .WithMessage("Choose at least one role.");
            RuleFor(i => i.Desks).Must(BeKnownDesks!).When(i => !string.IsNullOrWhiteSpace(i.Desks))
                .WithMessage(i => UnknownDesksMessage(i.Desks));
        }

        private static bool BeKnownDesks(string desks)
        {
            AccountAdministration.ParseDesks(desks, out var unknown);
            return unknown.Count == 0;
        }
    }

    public static string UnknownDesksMessage(string? desks)
    {
        AccountAdministration.ParseDesks(desks, out var unknown);
        return $"A desk is a two-letter ISO country code (e.g. KE) or GENERAL; not: {string.Join(", ", unknown)}.";
    }
}
