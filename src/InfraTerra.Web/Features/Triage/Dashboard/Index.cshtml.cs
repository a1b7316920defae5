using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using InfraTerra.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;

namespace InfraTerra.Web.Features.Triage.Dashboard;

/// <summary>
/// The Supervisors' dashboard (<c>/triage/dashboard</c>): tips received in a range of UTC days, on
/// one desk or all, counted by day, status, notice, desk and grade; medians to first action and to
/// feedback; overdue counts; outcomes per operation. A bad filter is a 400 naming it.
/// </summary>
[NoStore]
public sealed partial class DashboardModel(DashboardFigures figures, IValidator<DashboardModel.FilterInput> validator, TimeProvider clock) : PageModel
{
    /// <summary>Without From, the range is this many days up to To (today by default).</summary>
    public const int DefaultDays = 30;

    public const int MaxDays = 366;

    public FilterInput Input { get; private set; } = new();

    public DashboardData? Data { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Input = FilterInput.Read(Request.Query);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Input.Today = today;
        var result = await validator.ValidateAsync(Input, cancellationToken);
        if (!result.IsValid)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
            }

            Errors = [.. result.Errors.Select(e => e.ErrorMessage).Distinct()];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Data = await figures.GetAsync(Input.ToFilter(), cancellationToken);
        return Page();
    }

    public static string Hours(MedianHours median) => median switch
    {
        { Hours: null } => "No tip yet",
        { Capped: true } => $"more than {DashboardFigures.MaxHours.ToString(CultureInfo.InvariantCulture)} hours",
        { Hours: var h } when h >= 48 => $"{h.Value.ToString(CultureInfo.InvariantCulture)} hours (about {(h.Value / 24.0).ToString("0.#", CultureInfo.InvariantCulture)} days)",
        { Hours: var h } => $"{h!.Value.ToString(CultureInfo.InvariantCulture)} {(h == 1 ? "hour" : "hours")}",
    };

    /// <summary>The filter as the URL carries it: plain strings, so that a wrong value is named, not dropped.</summary>
    public sealed partial class FilterInput
    {
        public string? From { get; set; }
        public string? To { get; set; }
        public string? Desk { get; set; }
        public List<string> Repeated { get; } = [];
        public DateOnly Today { get; set; }

        public static FilterInput Read(IEnumerable<KeyValuePair<string, StringValues>> query)
        {
            var input = new FilterInput();
            foreach (var (rawKey, values) in query)
            {
                var key = rawKey.ToLowerInvariant();
                var given = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
                if (key is not ("from" or "to" or "desk") || given.Count == 0)
                {
                    continue;
                }

                if (given.Distinct(StringComparer.Ordinal).Count() > 1)
                {
                    input.Repeated.Add(key);
                }

                switch (key)
                {
                    case "from": input.From = given[0]; break;
                    case "to": input.To = given[0]; break;
                    default: input.Desk = given[0]; break;
                }
            }

            return input;
        }

        public DateOnly ToDay => QueueFilter.TryDay(To, out var to) ? to : Today;

        public DateOnly FromDay => QueueFilter.TryDay(From, out var from) ? from : ToDay.AddDays(1 - DefaultDays);

        public DashboardFilter ToFilter() => new(FromDay, ToDay, Desk?.ToUpperInvariant());

        public sealed partial class InputValidator : AbstractValidator<FilterInput>
        {
            public InputValidator()
            {
                RuleFor(i => i.Repeated).Must(r => r.Count == 0)
                    .WithMessage(i => $"Give each filter once: {string.Join(", ", i.Repeated)} was given more than once.");
                RuleFor(i => i.From).Must(BeADay)
                    .WithMessage($"From is a day written yyyy-mm-dd, between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
                RuleFor(i => i.To).Must(BeADay)
                    .WithMessage($"To is a day written yyyy-mm-dd, between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
                RuleFor(i => i.From)
                    .Must((i, _) => i.FromDay <= i.ToDay).WithMessage("From must be on or before To.")
                    .Must((i, _) => i.ToDay.DayNumber - i.FromDay.DayNumber < MaxDays).WithMessage($"The range can be at most {MaxDays} days: move From or To closer.")
                    .When(i => BeADay(i.From) && BeADay(i.To));
                RuleFor(i => i.Desk!).Matches(DeskCode())
                    .When(i => i.Desk is not null)
                    .WithMessage("A desk is a two-letter country code or GENERAL.");
            }

            private static DateOnly Earliest => QueueFilterInput.InputValidator.Earliest;

            private static DateOnly Latest => QueueFilterInput.InputValidator.Latest;

            private static bool BeADay(string? value) =>
                value is null || (QueueFilter.TryDay(value, out var day) && day >= Earliest && day <= Latest);

            [GeneratedRegex("^([A-Za-z]{2}|(?i:general))$")]
            private static partial Regex DeskCode();
        }
    }
}
