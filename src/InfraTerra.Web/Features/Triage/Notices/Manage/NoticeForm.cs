using FluentValidation;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Features.Tips;
using InfraTerra.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Notices.Manage;

/// <summary>
/// The notice form shared by the New and Edit pages (one set of fields, limits and rules for both):
/// the input model, its validator, and the explicit copy into and out of a <see cref="Notice"/>.
/// The limits are the database's (Data/Configurations). Derived fields (search name, times,
/// revision) are never set here: the model keeps them (NoticeDerivedFields).
/// </summary>
public static class NoticeForm
{
    public const int MaxWarrants = 10;
    public const int MaxAliases = 20;
    public const int MaxAliasLength = 200;
    public const int MaxCodes = 10;
    public const int BlankWarrantRows = 2;

    public static readonly IReadOnlyList<string> TextLanguages = SiteCultures.All;

    public sealed class InputModel
    {
        /// <summary>The notice's revision when the form was opened (Edit only).</summary>
        public int? Revision { get; set; }

        public string? FamilyName { get; set; }
        public string? Forenames { get; set; }

        /// <summary>One alias per line.</summary>
        public string? Aliases { get; set; }

        public Sex Sex { get; set; }
        public DateOnly? DateOfBirth { get; set; }
        public string? PlaceOfBirth { get; set; }
        public string? CountryOfBirth { get; set; }

        /// <summary>ISO country codes separated by commas or spaces.</summary>
        public string? Nationalities { get; set; }

        public double? HeightMetres { get; set; }
        public int? WeightKg { get; set; }
        public List<string> EyeColours { get; set; } = [];
        public List<string> HairColours { get; set; } = [];
        public string? DistinguishingMarks { get; set; }

        /// <summary>ISO 639-2 codes (ENG, SWA) separated by commas or spaces.</summary>
        public string? LanguagesSpoken { get; set; }

        public List<CrimeCategory> Categories { get; set; } = [];
        public string? Summary { get; set; }
        public string? Caution { get; set; }
        public string? Reward { get; set; }
        public string TextLanguage { get; set; } = "en";
        public bool IsSample { get; set; }
        public List<WarrantInput> Warrants { get; set; } = [];
        public List<TranslationInput> Translations { get; set; } = [];
        public List<int> OperationIds { get; set; } = [];

        public IEnumerable<WarrantInput> FilledWarrants => Warrants.Where(w => !w.IsBlank);

        public IReadOnlyList<string> AliasList => Lines(Aliases);
    }

    public sealed class WarrantInput
    {
        public string? IssuingCountry { get; set; }
        public string? Charge { get; set; }
        public string? ChargeTranslation { get; set; }

        public bool IsBlank => string.IsNullOrWhiteSpace(IssuingCountry) && string.IsNullOrWhiteSpace(Charge) && string.IsNullOrWhiteSpace(ChargeTranslation);
    }

    public sealed class TranslationInput
    {
        public string Language { get; set; } = "";
        public string? Summary { get; set; }
        public string? Caution { get; set; }
        public string? Reward { get; set; }
        public string? DistinguishingMarks { get; set; }
    }

    public sealed class InputValidator : AbstractValidator<InputModel>
    {
        public InputValidator()
        {
            RuleFor(i => i.FamilyName).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Enter the family name.")
                .MaximumLength(100).WithMessage("The family name can have at most 100 characters.")
                .Must(TextRules.IsSingleLine).WithMessage("The family name must be one line without control characters.");
            RuleFor(i => i.Forenames).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Enter the forenames.")
                .MaximumLength(200).WithMessage("The forenames can have at most 200 characters.")
                .Must(TextRules.IsSingleLine).WithMessage("The forenames must be one line without control characters.");
            RuleFor(i => i.AliasList).Cascade(CascadeMode.Stop)
                .Must(a => a.Count <= MaxAliases).WithMessage($"A notice can have at most {MaxAliases} aliases.").OverridePropertyName(nameof(InputModel.Aliases))
                .Must(a => a.All(alias => alias.Length <= MaxAliasLength)).WithMessage($"An alias can have at most {MaxAliasLength} characters.")
                .Must(a => a.All(TextRules.IsSingleLine)).WithMessage("Aliases cannot hold control characters.");
            RuleFor(i => i).Must(i => SearchText.Normalize(string.Join(' ', [i.FamilyName, i.Forenames, .. i.AliasList])).Length <= 1000)
                .OverridePropertyName(nameof(InputModel.Aliases))
                .WithMessage("The names and aliases together can have at most 1000 characters.");
            RuleFor(i => i.Sex).IsInEnum().WithMessage("Choose the sex: female, male or unknown.");
            RuleFor(i => i.DateOfBirth)
                .Must(d => d is null || (d.Value.Year >= 1900 && d.Value <= DateOnly.FromDateTime(DateTime.UtcNow)))
                .WithMessage("The date of birth must be a day between 1900 and today.");
            RuleFor(i => i.PlaceOfBirth).MaximumLength(200).WithMessage("The place of birth can have at most 200 characters.")
                .Must(TextRules.IsSingleLine).WithMessage("The place of birth must be one line without control characters.");
            RuleFor(i => i.CountryOfBirth).Must(c => string.IsNullOrWhiteSpace(c) || Countries.IsKnown(Code(c)))
                .WithMessage("The country of birth is a two-letter ISO country code, e.g. KE.");
            RuleFor(i => i.Nationalities).Cascade(CascadeMode.Stop)
                .Must(n => Codes(n).Count > 0).WithMessage("Enter at least one nationality (a two-letter ISO country code, e.g. KE).")
                .Must(n => Codes(n).Count <= MaxCodes).WithMessage($"Enter at most {MaxCodes} nationalities.")
                .Must(n => Codes(n).All(Countries.IsKnown)).WithMessage(i => $"Not a known country code: {string.Join(", ", Codes(i.Nationalities).Where(c => !Countries.IsKnown(c)))}.");
            RuleFor(i => i.HeightMetres).InclusiveBetween(0.5, 2.6).When(i => i.HeightMetres is not null)
                .WithMessage("The height is in metres, between 0.50 and 2.60 (e.g. 1.75).");
            RuleFor(i => i.WeightKg).InclusiveBetween(20, 400).When(i => i.WeightKg is not null)
                .WithMessage("The weight is in kilograms, between 20 and 400.");
            RuleFor(i => i.EyeColours).Must(c => c.All(Colours.IsKnown)).WithMessage("Choose eye colours from the list.");
            RuleFor(i => i.HairColours).Must(c => c.All(Colours.IsKnown)).WithMessage("Choose hair colours from the list.");
            RuleFor(i => i.DistinguishingMarks).MaximumLength(1000).WithMessage("The distinguishing marks can have at most 1000 characters.")
                .Must(TextRules.HasNoControlCharacters).WithMessage("The distinguishing marks contain characters that cannot be accepted.");
            RuleFor(i => i.LanguagesSpoken).Cascade(CascadeMode.Stop)
                .Must(n => Codes(n).Count <= MaxCodes).WithMessage($"Enter at most {MaxCodes} languages.")
                .Must(n => Codes(n).All(Languages.IsKnown)).WithMessage(i => $"Not a known three-letter language code: {string.Join(", ", Codes(i.LanguagesSpoken).Where(c => !Languages.IsKnown(c)))}.");
            RuleFor(i => i.Categories).Cascade(CascadeMode.Stop)
                .Must(c => c.Count > 0).WithMessage("Choose at least one crime category.")
                .Must(c => c.All(Enum.IsDefined)).WithMessage("Choose crime categories from the list.");
            RuleFor(i => i.Summary).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Write a summary of the case.")
                .MaximumLength(4000).WithMessage("The summary can have at most 4000 characters.")
                .Must(TextRules.HasNoControlCharacters).WithMessage("The summary contains characters that cannot be accepted.");
            RuleFor(i => i.Caution).MaximumLength(1000).WithMessage("The caution can have at most 1000 characters.")
                .Must(TextRules.HasNoControlCharacters).WithMessage("The caution contains characters that cannot be accepted.");
            RuleFor(i => i.Reward).MaximumLength(1000).WithMessage("The reward can have at most 1000 characters.")
                .Must(TextRules.HasNoControlCharacters).WithMessage("The reward contains characters that cannot be accepted.");
            RuleFor(i => i.TextLanguage).Must(l => TextLanguages.Contains(l)).WithMessage("Choose the language the texts are written in.");
            RuleFor(i => i.FilledWarrants).Cascade(CascadeMode.Stop)
                .Must(w => w.Any()).WithMessage("Enter at least one warrant: its issuing country decides which desk receives the tips.").OverridePropertyName(nameof(InputModel.Warrants))
                .Must(w => w.Count() <= MaxWarrants).WithMessage($"A notice can have at most {MaxWarrants} warrants.");
            RuleForEach(i => i.Warrants).ChildRules(w =>
            {
                w.RuleFor(x => x.IssuingCountry).Must(c => Countries.IsKnown(Code(c))).When(x => !x.IsBlank)
                    .WithMessage("The issuing country is a two-letter ISO country code, e.g. KE.");
                w.RuleFor(x => x.Charge).Cascade(CascadeMode.Stop).NotEmpty().When(x => !x.IsBlank).WithMessage("Enter the charge as the issuing country wrote it.")
                    .MaximumLength(1000).WithMessage("A charge can have at most 1000 characters.")
                    .Must(TextRules.HasNoControlCharacters).WithMessage("The charge contains characters that cannot be accepted.");
                w.RuleFor(x => x.ChargeTranslation).MaximumLength(1000).WithMessage("A charge's translation can have at most 1000 characters.")
                    .Must(TextRules.HasNoControlCharacters).WithMessage("The charge's translation contains characters that cannot be accepted.");
            });
            RuleForEach(i => i.Translations).ChildRules(t =>
            {
                t.RuleFor(x => x.Language).Must(l => TextLanguages.Contains(l)).WithMessage("A translation must be in English, French, Spanish or Arabic.");
                t.RuleFor(x => x.Summary).MaximumLength(4000).WithMessage("A translated summary can have at most 4000 characters.")
                    .Must(TextRules.HasNoControlCharacters).WithMessage("A translated summary contains characters that cannot be accepted.");
                t.RuleFor(x => x.Caution).MaximumLength(1000).WithMessage("A translated caution can have at most 1000 characters.")
                    .Must(TextRules.HasNoControlCharacters).WithMessage("A translated caution contains characters that cannot be accepted.");
                t.RuleFor(x => x.Reward).MaximumLength(1000).WithMessage("A translated reward can have at most 1000 characters.")
                    .Must(TextRules.HasNoControlCharacters).WithMessage("A translated reward contains characters that cannot be accepted.");
                t.RuleFor(x => x.DistinguishingMarks).MaximumLength(1000).WithMessage("Translated distinguishing marks can have at most 1000 characters.")
                    .Must(TextRules.HasNoControlCharacters).WithMessage("Translated distinguishing marks contain characters that cannot be accepted.");
            });
            RuleFor(i => i.Translations).Must(t => t.Select(x => x.Language).Distinct().Count() == t.Count)
                .WithMessage("Each language can have one translation.");
        }
    }

    /// <summary>A value that could not even be read (letters in a number) gets the field's own clear message.</summary>
    public static void ExplainBindingErrors(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        var messages = new Dictionary<string, string>
        {
            ["Input.HeightMetres"] = "The height is in metres, between 0.50 and 2.60 (e.g. 1.75).",
            ["Input.WeightKg"] = "The weight is in kilograms, between 20 and 400.",
            ["Input.DateOfBirth"] = "The date of birth must be a day like 1971-03-14.",
            ["Input.Sex"] = "Choose the sex: female, male or unknown.",
            ["Input.Revision"] = "This form could not be read: reload the notice and edit it again.",
        };
        foreach (var (key, entry) in modelState)
        {
            if (entry.Errors.Count > 0)
            {
                entry.Errors.Clear();
                entry.Errors.Add(messages.GetValueOrDefault(key, "This value could not be read."));
            }
        }
    }

    /// <summary>Runs the validator and copies its errors into the page's model state under <c>Input.</c>.</summary>
    public static async Task<bool> ValidateAsync(IValidator<InputModel> validator, InputModel input, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        foreach (var error in validation.Errors)
        {
            modelState.AddModelError($"Input.{error.PropertyName}", error.ErrorMessage);
        }

        return validation.IsValid && modelState.IsValid;
    }

    /// <summary>An empty form: one blank warrant row group and the four languages.</summary>
    public static InputModel Blank()
    {
        var input = new InputModel();
        Pad(input);
        return input;
    }

    /// <summary>The notice as its form shows it.</summary>
    public static InputModel From(Notice notice)
    {
        var input = new InputModel
        {
            Revision = notice.Revision,
            FamilyName = notice.FamilyName,
            Forenames = notice.Forenames,
            Aliases = string.Join('\n', notice.Aliases),
            Sex = notice.Sex,
            DateOfBirth = notice.DateOfBirth,
            PlaceOfBirth = notice.PlaceOfBirth,
            CountryOfBirth = notice.CountryOfBirth,
            Nationalities = string.Join(", ", notice.Nationalities),
            HeightMetres = notice.HeightMetres,
            WeightKg = notice.WeightKg,
            EyeColours = [.. notice.EyeColours],
            HairColours = [.. notice.HairColours],
            DistinguishingMarks = notice.DistinguishingMarks,
            LanguagesSpoken = string.Join(", ", notice.LanguagesSpoken),
            Categories = [.. notice.Categories],
            Summary = notice.Summary,
            Caution = notice.Caution,
            Reward = notice.Reward,
            TextLanguage = notice.TextLanguage,
            IsSample = notice.IsSample,
            Warrants = [.. notice.Warrants.OrderBy(w => w.Id).Select(w => new WarrantInput { IssuingCountry = w.IssuingCountry, Charge = w.Charge, ChargeTranslation = w.ChargeTranslation })],
            Translations = [.. notice.Translations.Select(t => new TranslationInput { Language = t.Language, Summary = t.Summary, Caution = t.Caution, Reward = t.Reward, DistinguishingMarks = t.DistinguishingMarks })],
            OperationIds = [.. notice.Operations.Select(o => o.Id)],
        };
        Pad(input);
        return input;
    }

    /// <summary>Blank warrant rows to fill (works without script), and a translation row for each language.</summary>
    public static void Pad(InputModel input)
    {
        var rows = Math.Min(MaxWarrants, input.FilledWarrants.Count() + BlankWarrantRows);
        input.Warrants = [.. input.FilledWarrants];
        while (input.Warrants.Count < rows)
        {
            input.Warrants.Add(new WarrantInput());
        }

        foreach (var language in TextLanguages)
        {
            if (!input.Translations.Any(t => t.Language == language))
            {
                input.Translations.Add(new TranslationInput { Language = language });
            }
        }

        input.Translations = [.. input.Translations.OrderBy(t => TextLanguages.ToList().IndexOf(t.Language))];
    }

    /// <summary>
    /// Copies the validated form onto <paramref name="notice"/> (tracked, with its warrants, translations
    /// and operations loaded). Warrants are matched by position so an unchanged row is not rewritten.
    /// </summary>
    public static async Task ApplyAsync(AppDbContext db, InputModel input, Notice notice, CancellationToken cancellationToken)
    {
        notice.FamilyName = input.FamilyName!.Trim();
        notice.Forenames = input.Forenames!.Trim();
        SetList(notice.Aliases, input.AliasList);
        notice.Sex = input.Sex;
        notice.DateOfBirth = input.DateOfBirth;
        notice.PlaceOfBirth = Clean(input.PlaceOfBirth);
        notice.CountryOfBirth = string.IsNullOrWhiteSpace(input.CountryOfBirth) ? null : Code(input.CountryOfBirth);
        SetList(notice.Nationalities, Codes(input.Nationalities));
        notice.HeightMetres = input.HeightMetres;
        notice.WeightKg = input.WeightKg;
        SetList(notice.EyeColours, input.EyeColours.Distinct().ToList());
        SetList(notice.HairColours, input.HairColours.Distinct().ToList());
        notice.DistinguishingMarks = Clean(input.DistinguishingMarks);
        SetList(notice.LanguagesSpoken, Codes(input.LanguagesSpoken));
        if (!notice.Categories.SequenceEqual(input.Categories.Distinct()))
        {
            notice.Categories = [.. input.Categories.Distinct()];
        }

        notice.Summary = input.Summary!.Trim();
        notice.Caution = Clean(input.Caution);
        notice.Reward = Clean(input.Reward);
        notice.TextLanguage = input.TextLanguage;
        notice.IsSample = input.IsSample;

        var warrants = input.FilledWarrants.ToList();
        var existing = notice.Warrants.OrderBy(w => w.Id).ToList();
        for (var i = 0; i < warrants.Count; i++)
        {
            var warrant = i < existing.Count ? existing[i] : new Warrant();
            warrant.IssuingCountry = Code(warrants[i].IssuingCountry);
            warrant.Charge = warrants[i].Charge!.Trim();
            warrant.ChargeTranslation = Clean(warrants[i].ChargeTranslation);
            if (i >= existing.Count)
            {
                notice.Warrants.Add(warrant);
            }
        }

        foreach (var removed in existing.Skip(warrants.Count))
        {
            notice.Warrants.Remove(removed);
            db.Remove(removed);
        }

        foreach (var given in input.Translations.Where(t => TextLanguages.Contains(t.Language)))
        {
            var translation = notice.Translations.FirstOrDefault(t => t.Language == given.Language);
            var empty = Clean(given.Summary) is null && Clean(given.Caution) is null && Clean(given.Reward) is null && Clean(given.DistinguishingMarks) is null;
            if (empty)
            {
                if (translation is not null)
                {
                    notice.Translations.Remove(translation);
                    db.Remove(translation);
                }

                continue;
            }

            if (translation is null)
            {
                translation = new NoticeTranslation { Language = given.Language };
                notice.Translations.Add(translation);
            }

            translation.Summary = Clean(given.Summary);
            translation.Caution = Clean(given.Caution);
            translation.Reward = Clean(given.Reward);
            translation.DistinguishingMarks = Clean(given.DistinguishingMarks);
        }

        var wanted = input.OperationIds.Distinct().ToList();
        var operations = await db.Operations.Where(o => wanted.Contains(o.Id)).ToListAsync(cancellationToken);
        foreach (var gone in notice.Operations.Where(o => !wanted.Contains(o.Id)).ToList())
        {
            notice.Operations.Remove(gone);
        }

        foreach (var operation in operations.Where(o => !notice.Operations.Any(n => n.Id == o.Id)))
        {
            notice.Operations.Add(operation);
        }
    }

    /// <summary>What changed between two states of a notice, by field name only (audit details are content-free).</summary>
    public static string ChangedFields(InputModel before, InputModel after)
    {
        var changed = new List<string>();
        void Compare(string name, object? a, object? b)
        {
            if (!Equals(a, b))
            {
                changed.Add(name);
            }
        }

        Compare("names", $"{before.FamilyName}|{before.Forenames}", $"{after.FamilyName?.Trim()}|{after.Forenames?.Trim()}");
        Compare("aliases", string.Join('\n', before.AliasList), string.Join('\n', after.AliasList));
        Compare("description", Describe(before), Describe(after));
        Compare("texts", $"{before.Summary}|{before.Caution}|{before.Reward}|{before.DistinguishingMarks}|{before.TextLanguage}",
            $"{after.Summary?.Trim()}|{Clean(after.Caution)}|{Clean(after.Reward)}|{Clean(after.DistinguishingMarks)}|{after.TextLanguage}");
        Compare("warrants", string.Join('\n', before.FilledWarrants.Select(w => $"{w.IssuingCountry}|{w.Charge}|{w.ChargeTranslation}")),
            string.Join('\n', after.FilledWarrants.Select(w => $"{Code(w.IssuingCountry)}|{w.Charge?.Trim()}|{Clean(w.ChargeTranslation)}")));
        Compare("translations", Translations(before), Translations(after));
        Compare("operations", string.Join(',', before.OperationIds.Order()), string.Join(',', after.OperationIds.Distinct().Order()));
        Compare("sample", before.IsSample, after.IsSample);
        return changed.Count == 0 ? "no field changed" : string.Join(", ", changed);

        static string Describe(InputModel i) =>
            $"{i.Sex}|{i.DateOfBirth}|{Clean(i.PlaceOfBirth)}|{Code(i.CountryOfBirth)}|{string.Join(',', Codes(i.Nationalities))}|{i.HeightMetres}|{i.WeightKg}|" +
            $"{string.Join(',', i.EyeColours.Distinct())}|{string.Join(',', i.HairColours.Distinct())}|{string.Join(',', Codes(i.LanguagesSpoken))}|{string.Join(',', i.Categories.Distinct())}";

        static string Translations(InputModel i) => string.Join('\n', i.Translations.OrderBy(t => t.Language).Select(t =>
            $"{t.Language}|{Clean(t.Summary)}|{Clean(t.Caution)}|{Clean(t.Reward)}|{Clean(t.DistinguishingMarks)}"));
    }

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static string Code(string? code) => (code ?? "").Trim().ToUpperInvariant();

    public static List<string> Codes(string? text) =>
        [.. (text ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Code).Distinct()];

    public static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Distinct()];

    private static void SetList(List<string> target, IReadOnlyList<string> values)
    {
        if (!target.SequenceEqual(values))
        {
            target.Clear();
            target.AddRange(values);
        }
    }
}
