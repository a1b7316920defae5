using System.Text.RegularExpressions;
using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices.Manage;

/// <summary>A Supervisor creates an operation (a campaign notices belong to, with its public page at /operations/{slug}).</summary>
[NoStore]
public sealed partial class NewOperationModel(AppDbContext db, AuditLog audit, IValidator<NewOperationModel.InputModel> validator) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        NoticeForm.ExplainBindingErrors(ModelState);
        var validation = await validator.ValidateAsync(Input, cancellationToken);
        foreach (var error in validation.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var slug = Input.Slug!.Trim();
        if (await db.Operations.AnyAsync(o => o.Slug == slug, cancellationToken))
        {
            ModelState.AddModelError("Input.Slug", "An operation already has this address. Choose another one.");
            return Page();
        }

        db.Operations.Add(new Operation
        {
            Slug = slug,
            Name = Input.Name!.Trim(),
            Summary = Input.Summary!.Trim(),
            TextLanguage = Input.TextLanguage,
            LaunchedOn = Input.LaunchedOn,
            IsSample = Input.IsSample,
        });
        await audit.RecordAsync(new AuditEntry(CurrentOfficer.From(HttpContext).Actor, AuditActions.OperationCreated, Subject: slug), cancellationToken);
        TempData[DetailsModel.ConfirmationKey] = $"Operation {Input.Name!.Trim()} created: choose it on a notice's form.";
        return Redirect("/triage/notices");
    }

    public sealed class InputModel
    {
        public string? Slug { get; set; }
        public string? Name { get; set; }
        public string? Summary { get; set; }
        public string TextLanguage { get; set; } = "en";
        public DateOnly? LaunchedOn { get; set; }
        public bool IsSample { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public InputValidator()
        {
            RuleFor(i => i.Slug).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Enter the operation's address, e.g. infra-terra.")
                .MaximumLength(80).WithMessage("The address can have at most 80 characters.")
                .Must(s => SlugPattern().IsMatch(s!.Trim())).WithMessage("The address uses lower-case letters, digits and dashes, e.g. infra-terra.");
            RuleFor(i => i.Name).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Enter the operation's name.")
                .MaximumLength(200).WithMessage("The name can have at most 200 characters.")
                .Must(TextRules.IsSingleLine).WithMessage("The name must be one line without control characters.");
            RuleFor(i => i.Summary).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Write a summary of the operation.")
                .MaximumLength(4000).WithMessage("The summary can have at most 4000 characters.")
                .Must(TextRules.HasNoControlCharacters).WithMessage("The summary contains characters that cannot be accepted.");
            RuleFor(i => i.TextLanguage).Must(l => NoticeForm.TextLanguages.Contains(l)).WithMessage("Choose the language the summary is written in.");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
