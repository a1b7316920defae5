using System.Globalization;
using System.Text;
using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Triage.Audit;

/// <summary>
/// Supervisors search the whole audit log. A search is itself a look at who did what, so it is
/// recorded too (its filter, never a result). Verifying the chain walks every record, so it runs on
/// request, not on each page load.
/// </summary>
[NoStore]
public sealed class IndexModel(AppDbContext db, AuditLog audit, AuditVerificationStatus status, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<string> ActionChoices = typeof(AuditActions)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();

    [BindProperty(SupportsGet = true)]
    public SearchInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<string> ActionChoicesList => ActionChoices;

    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];
    public long? NextBefore { get; private set; }
    public (AuditVerification Result, DateTimeOffset At, string By)? LastVerification => status.Last;

    public sealed class SearchInput
    {
        public string? Actor { get; set; }
        public string? Action { get; set; }
        public Guid? Tip { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        Input.Actor = string.IsNullOrWhiteSpace(Input.Actor) ? null : Input.Actor.Trim();
        Input.Action = ActionChoices.Contains(Input.Action) ? Input.Action : null;

        var query = db.AuditRecords.AsNoTracking();
        if (Input.Actor is { } actor)
        {
            // E-mail addresses are compared without case on every engine (PostgreSQL's LIKE has case).
            var lowered = actor.ToLowerInvariant();
            query = query.Where(r => r.ActorName.ToLower().Contains(lowered));
        }

        if (Input.Action is { } action)
        {
            query = query.Where(r => r.Action == action);
        }

        if (Input.Tip is { } tip)
        {
            query = query.Where(r => r.TipId == tip);
        }

        if (Input.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(r => r.AtUtc >= start);
        }

        if (Input.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(r => r.AtUtc < end);
        }

        if (Before is { } before)
        {
            query = query.Where(r => r.Sequence < before);
        }

        var records = await query.OrderByDescending(r => r.Sequence).Take(PageSize + 1).ToListAsync(cancellationToken);
        if (records.Count > PageSize)
        {
            records.RemoveAt(PageSize);
            NextBefore = records[^1].Sequence;
        }

        Records = records;
        await audit.RecordAsync(new AuditEntry(officer.Actor, AuditActions.AuditSearched, Detail: Describe()), cancellationToken);
    }

    public async Task<IActionResult> OnPostVerifyAsync([FromServices] AuditVerifier verifier, CancellationToken cancellationToken)
    {
        var officer = CurrentOfficer.From(HttpContext);
        var result = await verifier.VerifyAsync(cancellationToken);
        status.Record(result, clock.GetUtcNow(), officer.Email);
        await audit.RecordAsync(
            new AuditEntry(officer.Actor, AuditActions.AuditVerified, Detail: result.Intact
                ? string.Create(CultureInfo.InvariantCulture, $"intact, {result.Checked} records")
                : string.Create(CultureInfo.InvariantCulture, $"{result.Problems.Count} problem(s), first at #{result.Problems[0].Sequence}")),
            cancellationToken);
        return RedirectToPage();
    }

    public string UrlFor(long? before)
    {
        var query = QueryString.Empty;
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query = query.Add(name, value);
            }
        }

        Add("Input.Actor", Input.Actor);
        Add("Input.Action", Input.Action);
        Add("Input.Tip", Input.Tip?.ToString());
        Add("Input.From", Input.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("Input.To", Input.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("before", before?.ToString(CultureInfo.InvariantCulture));
        return "/triage/audit" + query.ToUriComponent();
    }

    /// <summary>The filter, as the audit record of this search: what was asked, never what was found.</summary>
    private string Describe()
    {
        var parts = new StringBuilder();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Append(parts.Length == 0 ? "" : " ").Append(name).Append('=').Append(value);
            }
        }

        Add("actor", Input.Actor);
        Add("action", Input.Action);
        Add("tip", Input.Tip?.ToString());
        Add("from", Input.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", Input.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("before", Before?.ToString(CultureInfo.InvariantCulture));
        return parts.Length == 0 ? "no filter" : parts.ToString();
    }
}
