using InfraTerra.Web.Data;
using InfraTerra.Web.Infrastructure;
using InfraTerra.Web.Infrastructure.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Features.Admin;

/// <summary>One account: roles, desks, disable or enable, reset the second factor. Each change is audited.</summary>
[NoStore]
public sealed class AccountModel(AppDbContext db, AccountAdministration accounts, TimeProvider clock) : PageModel
{
    private static readonly Dictionary<string, string> DoneMessages = new(StringComparer.Ordinal)
    {
        ["roles"] = "Roles saved. They apply at the officer's next request.",
        ["desks"] = "Desks saved. They apply at the officer's next request.",
        ["disabled"] = "Account disabled. Its open sessions end at their next request.",
        ["enabled"] = "Account enabled. The officer can sign in again.",
        ["second-factor"] = "Second factor reset. The officer's sessions ended; at the next sign-in they set up an authenticator app again.",
    };

    [BindProperty(SupportsGet = true, Name = "id")]
    public string Id { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>The roles form (named like the create page's, so both share the fields).</summary>
    [BindProperty]
    public RoleChoice Input { get; set; } = new();

    [BindProperty]
    public string? Desks { get; set; }

    public IndexModel.AccountRow Account { get; private set; } = null!;
    public bool IsSelf { get; private set; }
    public string? DoneMessage => Done is not null && DoneMessages.TryGetValue(Done, out var message) ? message : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input.Set(Account.Roles);
        Desks = string.Join(", ", Account.Desks);
        return Page();
    }

    public Task<IActionResult> OnPostRolesAsync(CancellationToken cancellationToken)
    {
        if (Input.Selected().Count == 0)
        {
            ModelState.AddModelError(nameof(Input), "Choose at least one role. To stop an officer signing in, disable the account.");
            return RedisplayAsync(cancellationToken, keepRoles: true);
        }

        return ChangeAsync("roles", () => accounts.SetRolesAsync(Id, Input.Selected(), Actor, cancellationToken), cancellationToken);
    }

    public Task<IActionResult> OnPostDesksAsync(CancellationToken cancellationToken)
    {
        var desks = AccountAdministration.ParseDesks(Desks, out var unknown);
        if (unknown.Count > 0)
        {
            ModelState.AddModelError(nameof(Desks), NewAccountModel.UnknownDesksMessage(Desks));
            return RedisplayAsync(cancellationToken, keepDesks: true);
        }

        return ChangeAsync("desks", () => accounts.SetDesksAsync(Id, desks, Actor, cancellationToken), cancellationToken);
    }

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) =>
        ChangeAsync("disabled", () => accounts.SetDisabledAsync(Id, disabled: true, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) =>
        ChangeAsync("enabled", () => accounts.SetDisabledAsync(Id, disabled: false, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResetSecondFactorAsync(CancellationToken cancellationToken) =>
        ChangeAsync("second-factor", () => accounts.ResetSecondFactorAsync(Id, Actor, cancellationToken), cancellationToken);

    private Infrastructure.Audit.AuditActor Actor => CurrentOfficer.From(HttpContext).Actor;

    private async Task<IActionResult> ChangeAsync(string done, Func<Task> change, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Id == Id, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            await change();
        }
        catch (AccountChangeRefused e)
        {
            ModelState.AddModelError("", e.Message);
            db.ChangeTracker.Clear();
            return await RedisplayAsync(cancellationToken, keepRoles: done == "roles", keepDesks: done == "desks");
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", "Someone changed this account at the same moment. Check it below and try again.");
            db.ChangeTracker.Clear();
            return await RedisplayAsync(cancellationToken);
        }

        return RedirectToPage(new { id = Id, done });
    }

    private async Task<IActionResult> RedisplayAsync(CancellationToken cancellationToken, bool keepRoles = false, bool keepDesks = false)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!keepRoles)
        {
            Input.Set(Account.Roles);
        }

        if (!keepDesks)
        {
            Desks = string.Join(", ", Account.Desks);
        }

        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await IndexModel.LoadAsync(db, clock.GetUtcNow(), cancellationToken, onlyId: Id);
        if (rows.Count == 0)
        {
            return false;
        }

        Account = rows[0];
        IsSelf = CurrentOfficer.From(HttpContext).Id == Id;
        return true;
    }
}
