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

namespace InfraTerra.Web.Features.Triage.Tips;

/// <summary>
/// One tip on one screen: what the tipster wrote beside the notice, the files, the conversation,
/// internal notes, decisions and the tip's own audit trail. A desk that forwarded the tip reads
/// all of it but writes nothing; another desk gets 404, as for a tip that does not exist.
/// </summary>
[NoStore]
public sealed class TipDetailsModel(AppDbContext db, TipStore store, IValidator<TipDetailsModel.TextInput> validator, Clusters.SimilarTips similarTips) : PageModel
{
    [BindProperty]
    public TextInput Question { get; set; } = new();

    [BindProperty]
    public TextInput Note { get; set; } = new();

    public TipStore.OfficerView View { get; private set; } = null!;
    public TipAccessLevel Access { get; private set; }
    public DecisionsPanel Decisions { get; private set; } = null!;
    public IReadOnlyList<AuditRecord> Timeline { get; private set; } = [];
    public Clusters.SimilarTipsPanel Similar { get; private set; } = null!;

    /// <summary>After a question or note was stored, the page says so (a query value: no cookie needed).</summary>
    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public string? DoneMessage => Done switch
    {
        "question" => "Your question was sent. The tipster sees it when they next open their report with the receipt code.",
        "note" => "Your note was added.",
        _ => null,
    };

    public bool CanAct => Access == TipAccessLevel.Act;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await ShowAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostQuestionAsync(Guid id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var refused = await RefuseUnlessActAsync(id, officer, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (!await IsValidAsync(Question, nameof(Question), cancellationToken))
        {
            return await ShowAsync(id, cancellationToken) ? Page() : NotFound();
        }

        await store.AppendMessageAsync(id, MessageAuthor.Officer, Question.Text!.Trim(), [], cancellationToken,
            new AuditEntry(officer.Actor, AuditActions.QuestionSent, id));
        return RedirectToPage(null, null, new { id, done = "question" }, "conversation");
    }

    public async Task<IActionResult> OnPostNoteAsync(Guid id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var refused = await RefuseUnlessActAsync(id, officer, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (!await IsValidAsync(Note, nameof(Note), cancellationToken))
        {
            return await ShowAsync(id, cancellationToken) ? Page() : NotFound();
        }

        await store.AddNoteAsync(id, TipNoteKind.Note, Note.Text!.Trim(), new AuditEntry(officer.Actor, AuditActions.NoteAdded, id), cancellationToken);
        return RedirectToPage(null, null, new { id, done = "note" }, "notes");
    }

    private async Task<IActionResult?> RefuseUnlessActAsync(Guid id, CurrentOfficer officer, CancellationToken cancellationToken)
    {
        var tip = await db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tip is null)
        {
            return NotFound();
        }

        return await TipAccess.LevelAsync(db, officer, tip, cancellationToken) switch
        {
            TipAccessLevel.None => NotFound(),

            // A desk that forwarded the tip knows it exists: it is told plainly that it may only read.
            TipAccessLevel.Read => StatusCode(StatusCodes.Status403Forbidden),
            _ => null,
        };
    }

    private async Task<bool> IsValidAsync(TextInput input, string prefix, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(input, cancellationToken);
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError($"{prefix}.{error.PropertyName}", error.ErrorMessage);
        }

        return result.IsValid;
    }

    private async Task<bool> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var tip = await db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tip is null)
        {
            return false;
        }

        Access = await TipAccess.LevelAsync(db, officer, tip, cancellationToken);
        if (Access == TipAccessLevel.None)
        {
            return false;
        }

        if (await store.OpenForOfficerAsync(id, officer.Actor, marksAnswerRead: CanAct, cancellationToken) is not { } view)
        {
            return false;
        }

        View = view;
        Decisions = await DecisionsPanel.LoadAsync(db, view.Tip, officer, Access, cancellationToken);
        Similar = await similarTips.FindAsync(view.Tip, view.Content, officer, Access, cancellationToken);
        Decisions = Decisions with { DuplicateChoices = Clusters.SimilarTips.DuplicateChoices(Similar) };
        Timeline = await db.AuditRecords.AsNoTracking().Where(r => r.TipId == id).OrderBy(r => r.Sequence).ToListAsync(cancellationToken);
        return true;
    }

    /// <summary>A question to the tipster, or an internal note.</summary>
    public sealed class TextInput
    {
        public string? Text { get; set; }
    }

    public sealed class TextValidator : AbstractValidator<TextInput>
    {
        public const int MaxLength = 4000;

        public TextValidator()
        {
            RuleFor(i => i.Text)
                .Cascade(CascadeMode.Stop)
                .Must(text => !string.IsNullOrWhiteSpace(text)).WithMessage("Please write something first.")
                .Must(text => text!.Trim().Length <= MaxLength).WithMessage($"Please keep this under {MaxLength} characters.")
                .Must(TextRules.HasNoControlCharacters).WithMessage("This text contains characters that cannot be stored.");
        }
    }

    public static string Describe(HowKnown? howKnown) => howKnown switch
    {
        HowKnown.SawInPerson => "Saw the person in person",
        HowKnown.KnowPersonally => "Knows the person personally",
        HowKnown.SawPhotoOrVideo => "Saw a photo or video",
        HowKnown.HeardFromSomeone => "Heard from someone",
        HowKnown.Other => "Other",
        _ => "Not said",
    };

    public static string Describe(Certainty? certainty) => certainty switch
    {
        Certainty.VerySure => "Very sure",
        Certainty.FairlySure => "Fairly sure",
        Certainty.NotSure => "Not sure",
        _ => "Not said",
    };

    public static string Describe(TipNoteKind kind) => kind switch
    {
        TipNoteKind.Note => "Note",
        TipNoteKind.StatusReason => "Status reason",
        TipNoteKind.GradeNote => "Grading note",
        TipNoteKind.ThreatToLifeReason => "Threat to life reason",
        TipNoteKind.ForwardReason => "Forward reason",
        TipNoteKind.RetentionHoldReason => "Retention hold reason",
        _ => kind.ToString(),
    };

    public static string Describe(TipStatus status) => status switch
    {
        TipStatus.InReview => "In review",
        TipStatus.NotActionable => "Not actionable",
        _ => status.ToString(),
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };
}
