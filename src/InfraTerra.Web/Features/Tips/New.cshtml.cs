using System.Data.Common;
using System.Globalization;
using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Captcha;
using InfraTerra.Web.Infrastructure.Forms;
using InfraTerra.Web.Infrastructure.Telemetry;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.Tips;

[NoStore]
[IgnoreAntiforgeryToken]
[RequestSizeLimit(MaxRequestBytes)]
[PublicForm(MaxRequestBytes)]
public sealed class NewModel(
    TipNotices notices,
    TipStore store,
    NoticeVisibility visibility,
    TimeProvider clock,
    SubmissionLimits limits,
    HumanCheck humanCheck,
    ClientKeys clients,
    ClientDecodeTurns decodeTurns,
    IAntiforgery antiforgery,
    AttachmentIntake attachments,
    IStringLocalizer<SharedResource> t,
    HourlyTipCounts metrics,
    ILogger<NewModel> logger) : PageModel
{
    public const string ReceiptTempDataKey = "TipReceipt";

    // Above every combination the form's own checks explain (five files just under the per-file limit
    // included), so an over-size upload gets the form back with an error and the text, not a bare page.
    public const long MaxRequestBytes = (AttachmentInspector.MaxFiles * AttachmentInspector.MaxFileBytes) + (10 * 1024 * 1024);

    private IReadOnlyList<AttachmentIntake.CleanFile> _files = [];

    /// <summary>Files are never kept across a re-rendered form; the page says so when some were sent.</summary>
    public bool FilesWereSent => Input.Attachments is { Count: > 0 } || PublicFormPost.FilesWereDropped(HttpContext);

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public TipNotice? Notice { get; private set; }

    public CaptchaSettings Captcha => humanCheck.Settings;

    /// <summary>A fresh question on every render: a wrong or stale answer never blocks a second try.</summary>
    public ServerQuestion.Challenge? NewQuestion() => humanCheck.NewQuestion();

    /// <summary>After a failed check the question stays in view even where the widget runs, as a second way through.</summary>
    public bool ShowQuestion { get; private set; }
    public bool DatabaseUnavailable { get; private set; }

    /// <summary>What a plain HTML field shows: the value as sent when one was, as the input tag helper does.</summary>
    public string? Attempted(string key, string? value) =>
        ModelState.TryGetValue(key, out var entry) && entry.AttemptedValue is { } attempted ? attempted : value;

    /// <summary>The receipt, shown in place of the form for a browser that sends no cookies back (see <see cref="ShowReceipt"/>).</summary>
    public string? InlineReceipt { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? notice, CancellationToken cancellationToken)
    {
        Input = new InputModel { Notice = notice, FormKey = TipStore.NewFormKey() };
        if (!await LoadNoticeAsync(notice, cancellationToken))
        {
            return NotFound();
        }

        if (Notice is not null && !NoticeVisibility.AcceptsTips(Notice.Status))
        {
            // Arrested, still shown with its banner: say so kindly and offer a general report instead.
            NoLongerSoughtName = Notice.DisplayName;
            Notice = null;
            Input.Notice = null;
        }

        return Page();
    }

    /// <summary>The person the visitor came to report about, who is no longer sought (the form takes no tips about them).</summary>
    public string? NoLongerSoughtName { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // First, so that no answer below (the overloaded one included) gives back a form key another site chose.
        if (AnonymousPost.IsFromAnotherSite(HttpContext))
        {
            return await RefuseCrossSiteAsync(cancellationToken);
        }

        if (PublicFormPost.WasOverloaded(HttpContext))
        {
            metrics.Refused(TipRefusals.Overloaded);
            await ShowNoticeIfPossibleAsync(cancellationToken);
            return Overloaded.Page(this, t);
        }

        var post = await AnonymousPost.CheckAsync(HttpContext, antiforgery, MaxRequestBytes);
        if (post == PostCheck.TooLarge)
        {
            metrics.Refused(TipRefusals.TooLarge);
            return StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (post == PostCheck.CrossSite)
        {
            return await RefuseCrossSiteAsync(cancellationToken);
        }

        if (post == PostCheck.Expired)
        {
            metrics.Refused(TipRefusals.Expired);
            ModelState.AddModelError("", t["Your report was not sent because the page had expired. Everything you wrote is still here: please send it again."]);
            await ShowNoticeIfPossibleAsync(cancellationToken);
            return Page();
        }

        if (!TipStore.IsWellFormedFormKey(Input.FormKey))
        {
            metrics.Refused(TipRefusals.Unreadable);
            Input.FormKey = TipStore.NewFormKey();
            ModelState.AddModelError("", t["This form could not be read. Please check your answers and send it again."]);
            await ShowNoticeIfPossibleAsync(cancellationToken);
            return Page();
        }

        try
        {
            return await SubmitAsync(Input.FormKey!, cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            // Nothing was stored. Keep what they typed and ask them to try again.
            logger.LogError("A tip could not be stored: the database is unavailable ({ErrorType})", e.GetType().Name);
            metrics.Refused(TipRefusals.DatabaseDown);
            DatabaseUnavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "60";
            return Page();
        }
        catch (UploadsBusyException)
        {
            metrics.Refused(TipRefusals.UploadsBusy);
            return UploadsBusy();
        }
    }

    private async Task<IActionResult> SubmitAsync(string formKey, CancellationToken cancellationToken)
    {
        // A repeat of the same form (double click, retry after a timeout) gets the first receipt back.
        if (await ReplayAsync(formKey, cancellationToken) is { } replay)
        {
            return replay;
        }

        if (!await LoadNoticeAsync(Input.Notice, cancellationToken))
        {
            // The notice left the public list while they were writing: keep the report, without it.
            metrics.Refused(TipRefusals.NoticeGone);
            Input.Notice = null;
            ModelState.Remove($"{nameof(Input)}.{nameof(InputModel.Notice)}");
            ModelState.AddModelError("", t["The notice you were reporting about is no longer published. Your text is kept: you can still send it as a general report."]);
            return Page();
        }

        ExplainBindingErrors();
        // Built here, not injected: a GET of the form never needs it.
        var validation = await new InputValidator(t, clock).ValidateAsync(Input, cancellationToken);
        foreach (var error in validation.Errors)
        {
            // The honeypot is out of sight, so its error goes to the summary at the top.
            var key = error.PropertyName == nameof(InputModel.Website) ? "" : $"{nameof(Input)}.{error.PropertyName}";
            ModelState.AddModelError(key, error.ErrorMessage);
        }

        var check = await humanCheck.VerifyAsync(Input.WidgetResponse, Input.CheckToken, Input.CheckAnswer, formKey, cancellationToken);
        if (!check.Passed)
        {
            ShowQuestion = true;
            ModelState.AddModelError($"{nameof(Input)}.{nameof(InputModel.CheckAnswer)}", (check.Result, check.WidgetFailed) switch
            {
                (CheckResult.Unavailable, _) => t["The automatic check is not available just now. Please answer the question below and send again."],
                (_, true) => t["The automatic check did not succeed. Please answer the question below and send again."],
                (CheckResult.Missing, _) => t["Please answer the question to show you are a person."],
                (CheckResult.Wrong, _) => t["That answer is not right. Here is a new question."],
                (CheckResult.TooFast, _) => t["That was very fast. Please check your report, answer the question and send it again."],
                _ => t["The question expired. Please answer this new one."],
            });
        }

        // Files are decoded (the costly part) only for a tip that passed the check and whose fields are right.
        if (!ModelState.IsValid)
        {
            metrics.Refused(check.Passed ? TipRefusals.Invalid : TipRefusals.CheckFailed);
            return Page();
        }

        if (Notice is not null && !NoticeVisibility.AcceptsTips(Notice.Status))
        {
            Input.Notice = null;
            ModelState.Remove($"{nameof(Input)}.{nameof(InputModel.Notice)}");
            Notice = null;
            metrics.Refused(TipRefusals.NoticeGone);
            ModelState.AddModelError("", t["This person is no longer sought. Your text is kept: you can still send it as a general report."]);
            return Page();
        }

        // The budget is spent before any decoding, so a post whose files are then refused counts too:
        // a solved check reused for the same form key cannot buy decoding for free.
        var client = clients.For(HttpContext);
        if (!await limits.TryAcquireAsync(client, check.ThroughQuestion, cancellationToken))
        {
            metrics.Refused(TipRefusals.RateLimited);
            ModelState.AddModelError("", t["You have sent many reports in a short time. Please wait an hour and send this one again: your text is kept below."]);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "3600";
            return Page();
        }

        if (check.AnsweredQuestion && await limits.TryAcquireQuestionTipAsync(cancellationToken) is (false, var retryAfter))
        {
            metrics.Refused(TipRefusals.QuestionBudget);
            ModelState.AddModelError("", t["Many reports have been sent with the question in the last hour, so this one was not sent. Please send it again later: your text is kept below."]);
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Page();
        }

        if (FilesWereSent)
        {
            using (await decodeTurns.EnterAsync(client, cancellationToken))
            {
                await InspectAttachmentsAsync(cancellationToken);
            }

            if (!ModelState.IsValid)
            {
                metrics.Refused(TipRefusals.FilesRefused);
                return Page();
            }
        }

        var receipt = await store.CreateAsync(NewTip(Input), formKey, _files, cancellationToken);
        metrics.Accepted();
        return ShowReceipt(receipt);
    }

    /// <summary>
    /// After the commit: normally redirect, so a reload cannot resend, with the code in TempData. A
    /// browser that keeps no cookie would lose it on the way, so it gets the receipt here instead; a
    /// reload then re-posts the same form key and shows the same receipt, storing nothing new.
    /// </summary>
    private IActionResult ShowReceipt(string receipt)
    {
        if (AnonymousPost.IsCookieless(HttpContext))
        {
            InlineReceipt = receipt;
            return Page();
        }

        TempData[ReceiptTempDataKey] = receipt;
        return RedirectToPage("/Tips/Receipt");
    }

    /// <summary>The other site chose this form key and could replay its receipt: a send from here gets a new one.</summary>
    private async Task<PageResult> RefuseCrossSiteAsync(CancellationToken cancellationToken)
    {
        metrics.Refused(TipRefusals.CrossSite);
        Input.FormKey = TipStore.NewFormKey();
        ModelState.Remove($"{nameof(Input)}.{nameof(InputModel.FormKey)}");
        ModelState.AddModelError("", t["This form was sent from another website, so nothing was sent. Please check what is below and send it from this page if you want to."]);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await ShowNoticeIfPossibleAsync(cancellationToken);
        return Page();
    }

    /// <summary>Too many files waiting to be checked: nothing was sent, the text comes back.</summary>
    private PageResult UploadsBusy()
    {
        ModelState.AddModelError("", t["Many files are being checked just now, so nothing was sent. Please send it again in a minute: what you wrote is kept below."]);
        Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        Response.Headers.RetryAfter = "60";
        return Page();
    }

    private async Task InspectAttachmentsAsync(CancellationToken cancellationToken) =>
        _files = await attachments.InspectAsync(
            Input.Attachments, Input.KeepPhotoLocation, ModelState, $"{nameof(Input)}.{nameof(InputModel.Attachments)}", cancellationToken);

    /// <summary>Values that could not even be read (a date that is no date, an unknown choice) get our own words.</summary>
    private void ExplainBindingErrors()
    {
        foreach (var (key, entry) in ModelState)
        {
            if (entry.Errors.Count == 0)
            {
                continue;
            }

            entry.Errors.Clear();
            entry.Errors.Add(key == $"{nameof(Input)}.{nameof(InputModel.SightedOn)}"
                ? t["Please give the date as day, month and year."]
                : t["Please choose one of the options."]);
        }
    }

    private async Task<IActionResult?> ReplayAsync(string formKey, CancellationToken cancellationToken) =>
        await store.FindReceiptByFormKeyAsync(formKey, cancellationToken) is { } receipt ? ShowReceipt(receipt) : null;

    private TipStore.NewTip NewTip(InputModel input) => new(
        Notice,
        string.IsNullOrWhiteSpace(input.SightingCountry) ? null : input.SightingCountry.Trim().ToUpperInvariant(),
        input.SightedOn,
        new TipContent(input.Description!.Trim(), string.IsNullOrWhiteSpace(input.Place) ? null : input.Place.Trim())
        {
            SightingDateIsApproximate = input.SightedOn is not null && input.DateIsApproximate,
            HowKnown = input.HowKnown,
            Certainty = input.Certainty,
            ContactDetails = input.WantsContact ? input.ContactDetails!.Trim() : null,
        })
    {
        SomeoneInDanger = input.SomeoneInDanger,
    };

    /// <summary>
    /// For a form given back without storing anything: the notice beside it when the database
    /// answers, the form with the text either way (never an error page that loses it).
    /// </summary>
    private async Task ShowNoticeIfPossibleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadNoticeAsync(Input.Notice, cancellationToken);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            Notice = null;
        }
    }

    private async Task<bool> LoadNoticeAsync(string? reference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return true;
        }

        var notice = await notices.FindAsync(reference, cancellationToken);
        if (notice is null || notice.VisibilityAt(visibility, clock.GetUtcNow().UtcDateTime) is PageVisibility.NotFound or PageVisibility.Gone)
        {
            return false;
        }

        Notice = notice;
        return true;
    }

    public sealed class InputModel
    {
        public string? Notice { get; set; }
        public string? FormKey { get; set; }
        public string? Description { get; set; }
        public string? Place { get; set; }
        public string? SightingCountry { get; set; }
        public DateOnly? SightedOn { get; set; }
        public bool DateIsApproximate { get; set; }
        public HowKnown? HowKnown { get; set; }
        public Certainty? Certainty { get; set; }
        public bool WantsContact { get; set; }
        public string? ContactDetails { get; set; }

        /// <summary>"Someone is in danger now": flags the tip for officers to confirm or clear.</summary>
        public bool SomeoneInDanger { get; set; }

        public string? CheckToken { get; set; }
        public string? CheckAnswer { get; set; }

        /// <summary>The answer of the script widget (proof of work or reCAPTCHA), when JavaScript runs.</summary>
        public string? WidgetResponse { get; set; }

        public List<IFormFile>? Attachments { get; set; }

        /// <summary>Opt-in: keep, sealed, the GPS position the camera wrote into each photo.</summary>
        public bool KeepPhotoLocation { get; set; }

        /// <summary>Honeypot: invisible to people, filled by naive bots.</summary>
        public string? Website { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public const int DescriptionMin = 10;
        public const int DescriptionMax = 5000;
        public const int PlaceMax = 300;
        public const int ContactMax = 500;

        public InputValidator(IStringLocalizer<SharedResource> t, TimeProvider clock)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            RuleFor(i => i.Description)
                .Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage(t["Please say what you saw or know."])
                .Must(d => d!.Trim().Length >= DescriptionMin)
                .WithMessage(t["Please write at least {0} characters about what you saw.", DescriptionMin])
                .MaximumLength(DescriptionMax).WithMessage(t["Please keep this under {0} characters.", DescriptionMax])
                .Must(TextRules.HasNoControlCharacters).WithMessage(t["This text contains characters we cannot accept."]);
            RuleFor(i => i.Place)
                .MaximumLength(PlaceMax).WithMessage(t["Please keep this under {0} characters.", PlaceMax])
                .Must(TextRules.IsSingleLine).WithMessage(t["This text contains characters we cannot accept."]);
            RuleFor(i => i.SightingCountry)
                .Must(code => Countries.IsKnown(code!.Trim().ToUpperInvariant())).When(i => !string.IsNullOrWhiteSpace(i.SightingCountry))
                .WithMessage(t["Please choose a country from the list."]);
            RuleFor(i => i.HowKnown).IsInEnum().WithMessage(t["Please choose one of the options."]);
            RuleFor(i => i.Certainty).IsInEnum().WithMessage(t["Please choose one of the options."]);
            RuleFor(i => i.ContactDetails)
                .NotEmpty().WithMessage(t["Please say how investigators can reach you, or choose to stay anonymous."])
                .When(i => i.WantsContact);
            RuleFor(i => i.ContactDetails)
                .Empty().WithMessage(t["You chose to stay anonymous, so please clear your contact details, or choose to be contacted."])
                .When(i => !i.WantsContact);
            RuleFor(i => i.ContactDetails)
                .MaximumLength(ContactMax).WithMessage(t["Please keep this under {0} characters.", ContactMax])
                .Must(TextRules.HasNoControlCharacters).WithMessage(t["This text contains characters we cannot accept."]);
            RuleFor(i => i.Website).Empty().WithMessage(t["Your browser filled in a field that must stay empty, so nothing was sent. Please check your report and send it again."]);
            RuleFor(i => i.SightedOn)
                .LessThanOrEqualTo(today.AddDays(1)).WithMessage(t["The date cannot be in the future."])
                .GreaterThanOrEqualTo(new DateOnly(1990, 1, 1)).WithMessage(t["Please give a date after 1 January 1990."]);
        }
    }
}
