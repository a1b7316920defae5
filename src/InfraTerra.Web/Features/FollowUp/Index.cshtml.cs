using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Abuse;
using InfraTerra.Web.Infrastructure.Forms;
using InfraTerra.Web.Infrastructure.Uploads;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace InfraTerra.Web.Features.FollowUp;

/// <summary>
/// The tipster's side of the conversation. The receipt opens it; from then on the page carries
/// a short-lived protected token (not the receipt), so an unattended screen times out.
/// </summary>
[NoStore]
[IgnoreAntiforgeryToken]
[RequestSizeLimit(NewModel.MaxRequestBytes)]
[PublicForm(NewModel.MaxRequestBytes)]
public sealed class IndexModel(
    TipStore store,
    FollowUpGuard guard,
    IDataProtectionProvider protection,
    IValidator<IndexModel.ReplyModel> replyValidator,
    AttachmentIntake attachments,
    SubmissionLimits limits,
    ClientKeys clients,
    ClientDecodeTurns decodeTurns,
    IAntiforgery antiforgery,
    IStringLocalizer<SharedResource> t,
    ILogger<IndexModel> logger) : PageModel
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);

    [BindProperty]
    public string? Receipt { get; set; }

    [BindProperty]
    public ReplyModel Reply { get; set; } = new();

    [BindProperty]
    public string? Session { get; set; }

    public Conversation? Opened { get; private set; }

    public sealed record Line(MessageAuthor Author, DateTime SentAtUtc, string Text, int FileCount);

    public sealed record Conversation(DateTime SubmittedAtUtc, PublicTipStatus Status, string? NoticeName, bool NoLongerSought, IReadOnlyList<Line> Lines)
    {
        /// <summary>Set when the tip was closed by its notice's arrest or withdrawal rather than by an officer.</summary>
        public TipClosure? ClosedBecause { get; init; }
    }

    public void OnGet()
    {
    }

    /// <summary>An answer that could not be sent yet; the receipt form carries it until it is.</summary>
    public bool HasPendingReply => !string.IsNullOrWhiteSpace(Reply.Message) && Opened is null;

    /// <summary>Files are never kept across a re-rendered page; the page says so when some were sent.</summary>
    public bool FilesWereSent => Reply.Attachments is { Count: > 0 } || PublicFormPost.FilesWereDropped(HttpContext);

    public bool DatabaseUnavailable { get; private set; }

    public Task<IActionResult> OnPostOpenAsync(CancellationToken cancellationToken) =>
        KeepingTheReplyAsync(() => OpenAsync(cancellationToken));

    public Task<IActionResult> OnPostReplyAsync(CancellationToken cancellationToken) =>
        KeepingTheReplyAsync(() => ReplyAsync(cancellationToken));

    /// <summary>Whatever goes wrong (an expired page, the database), what the tipster wrote comes back to them.</summary>
    private async Task<IActionResult> KeepingTheReplyAsync(Func<Task<IActionResult>> handler)
    {
        if (PublicFormPost.WasOverloaded(HttpContext))
        {
            return Overloaded.Page(this, t);
        }

        var post = await AnonymousPost.CheckAsync(HttpContext, antiforgery, NewModel.MaxRequestBytes);
        if (post == PostCheck.TooLarge)
        {
            return StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (post == PostCheck.Expired)
        {
            ModelState.AddModelError("", t["The page had expired, so nothing was sent. Please enter your receipt code again; your answer is kept."]);
            return Page();
        }

        if (post == PostCheck.CrossSite)
        {
            Receipt = null;
            Session = null;
            ModelState.AddModelError("", t["This form was sent from another website, so nothing was sent. Please check what is below and send it from this page if you want to."]);
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        try
        {
            return await handler();
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
        {
            logger.LogError("A follow-up could not be completed: the database is unavailable ({ErrorType})", e.GetType().Name);
            Opened = null;
            DatabaseUnavailable = true;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "60";
            return Page();
        }
        catch (UploadsBusyException)
        {
            Opened = null;
            ModelState.AddModelError("", t["Many files are being checked just now, so nothing was sent. Please send it again in a minute: what you wrote is kept below."]);
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "60";
            return Page();
        }
    }

    private async Task<IActionResult> OpenAsync(CancellationToken cancellationToken)
    {
        if (await guard.IsBlockedAsync(HttpContext, cancellationToken))
        {
            return TooManyAttempts();
        }

        var (wellFormed, tipId) = await store.FindByReceiptAsync(Receipt, cancellationToken);
        if (tipId is null)
        {
            await guard.RecordFailureAsync(HttpContext, cancellationToken);
            Receipt = null;
            ModelState.AddModelError(nameof(Receipt), !wellFormed
                ? t["A receipt code has 24 letters and digits, in groups of four. Please check it."]
                : t["We could not find a report with this code. Please check it and try again."]);
            return Page();
        }

        Receipt = null;
        return string.IsNullOrWhiteSpace(Reply.Message) && !FilesWereSent
            ? await ShowAsync(tipId.Value, cancellationToken)
            : await StoreReplyAsync(tipId.Value, cancellationToken);
    }

    private async Task<IActionResult> ReplyAsync(CancellationToken cancellationToken)
    {
        if (ReadSession() is not { } tipId)
        {
            ModelState.AddModelError("", t["For your safety the conversation closed after a while without activity. Please enter your receipt code again; your answer is kept and will be sent then."]);
            return Page();
        }

        return await StoreReplyAsync(tipId, cancellationToken);
    }

    private async Task<IActionResult> StoreReplyAsync(Guid tipId, CancellationToken cancellationToken)
    {
        var validation = await replyValidator.ValidateAsync(Reply, cancellationToken);
        foreach (var error in validation.Errors)
        {
            ModelState.AddModelError($"{nameof(Reply)}.{error.PropertyName}", error.ErrorMessage);
        }

        if (!ModelState.IsValid)
        {
            return await ShowAsync(tipId, cancellationToken);
        }

        // Files are decoded only after the hourly budget is spent, so refused files count too.
        var client = clients.For(HttpContext);
        IReadOnlyList<AttachmentIntake.CleanFile> files = [];
        if (FilesWereSent)
        {
            if (!await limits.TryAcquireReplyAsync(client, cancellationToken))
            {
                return TooManyReplies();
            }

            using (await decodeTurns.EnterAsync(client, cancellationToken))
            {
                files = await attachments.InspectAsync(
                    Reply.Attachments, Reply.KeepPhotoLocation, ModelState, $"{nameof(Reply)}.{nameof(ReplyModel.Attachments)}", cancellationToken);
            }

            if (!ModelState.IsValid)
            {
                return await ShowAsync(tipId, cancellationToken);
            }
        }

        var text = Reply.Message!.Trim();
        var check = await store.CheckReplyAsync(tipId, text, files, cancellationToken);
        if (check == TipStore.ReplyCheck.TipGone)
        {
            // Removed while the page was open: say so rather than fail; the answer stays on the page.
            ModelState.AddModelError("", t["We could not find a report with this code. Please check it and try again."]);
            return Page();
        }

        // A double click or a resent page adds the same answer once.
        if (check == TipStore.ReplyCheck.New)
        {
            if (!FilesWereSent && !await limits.TryAcquireReplyAsync(client, cancellationToken))
            {
                return TooManyReplies();
            }

            await store.AppendMessageAsync(tipId, MessageAuthor.Tipster, text, files, cancellationToken);
        }

        Reply = new ReplyModel();
        ModelState.Clear();
        return await ShowAsync(tipId, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(Guid tipId, CancellationToken cancellationToken)
    {
        var (tip, messages) = await store.OpenConversationAsync(tipId, cancellationToken);
        var notice = tip.Notice;
        Opened = new Conversation(
            tip.SubmittedAtUtc,
            tip.PublicStatus,
            notice?.DisplayName,
            notice is { Status: NoticeStatus.Arrested or NoticeStatus.Withdrawn },
            [.. messages.Select(m => new Line(m.Author, m.SentAtUtc, m.Text, m.FileCount))])
        {
            ClosedBecause = tip.Status == TipStatus.Closed ? tip.ClosedBecause : null,
        };
        Session = Protector().Protect(tipId.ToString(), IdleTimeout);
        return Page();
    }

    private Guid? ReadSession()
    {
        try
        {
            return Session is { Length: > 0 and < 1000 } && Guid.TryParse(Protector().Unprotect(Session), out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private ITimeLimitedDataProtector Protector() =>
        protection.CreateProtector("InfraTerra.FollowUp.Session").ToTimeLimitedDataProtector();

    private PageResult TooManyReplies()
    {
        ModelState.AddModelError("", t["You have sent many messages in a short time. Please wait an hour and send this one again: your answer is kept below."]);
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = "3600";
        return Page();
    }

    private PageResult TooManyAttempts()
    {
        ModelState.AddModelError(nameof(Receipt), t["Too many wrong codes were entered from this connection. Please wait 15 minutes and try again."]);
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = ((int)FollowUpGuard.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    public sealed class ReplyModel
    {
        public string? Message { get; set; }

        public List<IFormFile>? Attachments { get; set; }

        /// <summary>Opt-in: keep, sealed, the GPS position the camera wrote into each photo.</summary>
        public bool KeepPhotoLocation { get; set; }
    }

    public sealed class ReplyValidator : AbstractValidator<ReplyModel>
    {
        public const int MaxLength = 5000;

        public ReplyValidator(IStringLocalizer<SharedResource> t)
        {
            RuleFor(r => r.Message)
                .Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage(t["Please write your answer."])
                .MaximumLength(MaxLength).WithMessage(t["Please keep this under {0} characters.", MaxLength])
                .Must(TextRules.HasNoControlCharacters).WithMessage(t["This text contains characters we cannot accept."]);
        }
    }
}
