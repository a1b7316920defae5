using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using InfraTerra.Web.Infrastructure.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Accounts;

/// <summary>A change an administrator asked for that would break a rule; the message says which.</summary>
public sealed class AccountChangeRefused(string message) : Exception(message);

/// <summary>
/// What administrators (in /admin) and operators (on the command line) do to officer accounts.
/// Each change is stored together with its audit record, in one transaction: Identity's store is
/// told not to save on its own, and <see cref="AuditLog.RecordAsync"/> saves both.
/// </summary>
public sealed class AccountAdministration(
    AppDbContext db,
    UserManager<OfficerUser> users,
    IUserStore<OfficerUser> store,
    RoleManager<IdentityRole> roles,
    AuditLog audit,
    TimeProvider clock)
{
    private const string IdentityTokens = "[AspNetUserStore]";

    public sealed record Created(OfficerUser User, string OneTimePassword);

    /// <summary>A desk is an ISO country code or General; returns the canonical code, or null if it is neither.</summary>
    public static string? CanonicalDesk(string value)
    {
        var code = value.Trim().ToUpperInvariant();
        return code == Tip.GeneralDesk || Countries.IsKnown(code) ? code : null;
    }

    /// <summary>"KE, tz general" → KE, TZ, GENERAL; unknown codes in <paramref name="unknown"/>.</summary>
    public static IReadOnlyList<string> ParseDesks(string? text, out IReadOnlyList<string> unknown)
    {
        var parts = (text ?? "").Split([',', ' ', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var desks = new SortedSet<string>(StringComparer.Ordinal);
        var bad = new List<string>();
        foreach (var part in parts)
        {
            if (CanonicalDesk(part) is { } desk)
            {
                desks.Add(desk);
            }
            else
            {
                bad.Add(part);
            }
        }

        unknown = bad;
        return [.. desks];
    }

    public async Task<Created> CreateAsync(string email, IReadOnlyCollection<string> roleNames, IReadOnlyCollection<string> desks, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await EnsureRolesAsync();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new AccountChangeRefused($"An account for {email} already exists.");
        }

        using var deferred = DeferSaving(null);
        var password = OperatorCommands.OneTimePassword();
        var user = new OfficerUser { UserName = email, Email = email, EmailConfirmed = true, MustChangePassword = true };
        Check(await users.CreateAsync(user, password));

        // Not AddToRolesAsync: it updates the user, which EF then treats as an existing row.
        var chosen = Ordered(roleNames);
        foreach (var roleId in await db.Roles.Where(r => chosen.Contains(r.Name!)).Select(r => r.Id).ToListAsync(cancellationToken))
        {
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
        }

        foreach (var desk in desks.Distinct(StringComparer.Ordinal))
        {
            db.OfficerDesks.Add(new OfficerDesk { UserId = user.Id, Desk = desk });
        }

        await audit.RecordAsync(new AuditEntry(actor, AuditActions.AccountCreated, Subject: email,
            Detail: $"roles: {List(Ordered(roleNames))}; desks: {List(desks.Order(StringComparer.Ordinal))}"), cancellationToken);
        return new Created(user, password);
    }

    public async Task SetDisabledAsync(string userId, bool disabled, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        if (disabled == user.DisabledAtUtc.HasValue)
        {
            return;
        }

        if (disabled)
        {
            if (actor.Id == user.Id)
            {
                throw new AccountChangeRefused("You cannot disable your own account.");
            }

            await RefuseIfLastAdministratorAsync(user, "disable");
        }

        using var deferred = DeferSaving(user);
        user.DisabledAtUtc = disabled ? clock.GetUtcNow().UtcDateTime : null;

        // A new stamp ends the account's other sessions at their next re-check, on every node.
        Check(await users.UpdateSecurityStampAsync(user));
        await audit.RecordAsync(new AuditEntry(actor, disabled ? AuditActions.AccountDisabled : AuditActions.AccountEnabled, Subject: user.Email), cancellationToken);
    }

    public async Task SetRolesAsync(string userId, IReadOnlyCollection<string> roleNames, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        var before = Ordered(await users.GetRolesAsync(user));
        var after = Ordered(roleNames);
        if (before.SequenceEqual(after, StringComparer.Ordinal))
        {
            return;
        }

        if (before.Contains(Roles.Administrator) && !after.Contains(Roles.Administrator))
        {
            await RefuseIfLastAdministratorAsync(user, "remove the Administrator role of");
        }

        await EnsureRolesAsync();
        using var deferred = DeferSaving(user);
        Check(await users.RemoveFromRolesAsync(user, before.Except(after)));
        Check(await users.AddToRolesAsync(user, after.Except(before)));
        Check(await users.UpdateSecurityStampAsync(user));
        await audit.RecordAsync(new AuditEntry(actor, AuditActions.RolesChanged, Subject: user.Email,
            Detail: $"{List(before)} → {List(after)}"), cancellationToken);
    }

    public async Task SetDesksAsync(string userId, IReadOnlyCollection<string> desks, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        var current = await db.OfficerDesks.Where(d => d.UserId == user.Id).ToListAsync(cancellationToken);
        var before = current.Select(d => d.Desk).Order(StringComparer.Ordinal).ToList();
        var after = desks.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (before.SequenceEqual(after, StringComparer.Ordinal))
        {
            return;
        }

        db.OfficerDesks.RemoveRange(current.Where(d => !after.Contains(d.Desk)));
        db.OfficerDesks.AddRange(after.Except(before).Select(d => new OfficerDesk { UserId = user.Id, Desk = d }));
        await audit.RecordAsync(new AuditEntry(actor, AuditActions.DesksChanged, Subject: user.Email,
            Detail: $"{List(before)} → {List(after)}"), cancellationToken);
    }

    /// <summary>The officer must set up an authenticator again at the next sign-in; every session ends.</summary>
    public async Task ResetSecondFactorAsync(string userId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(userId);
        using var deferred = DeferSaving(user);
        await ClearSecondFactorAsync(user);
        await audit.RecordAsync(new AuditEntry(actor, AuditActions.SecondFactorReset, Subject: user.Email), cancellationToken);
    }

    /// <summary>
    /// <c>reset-user</c>: brings back an officer who cannot sign in (locked out, disabled, phone lost),
    /// the last administrator included, with a new one-time password and no second factor.
    /// </summary>
    public async Task<string> RescueAsync(string email, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByEmailAsync(email) ?? throw new AccountChangeRefused($"There is no account for {email}.");
        using var deferred = DeferSaving(user);
        var password = OperatorCommands.OneTimePassword();
        user.DisabledAtUtc = null;
        user.MustChangePassword = true;
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await ClearSecondFactorAsync(user);
        Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
        await audit.RecordAsync(new AuditEntry(actor, AuditActions.AccountReset, Subject: user.Email,
            Detail: "lockout cleared, enabled, second factor reset, one-time password set"), cancellationToken);
        return password;
    }

    private async Task ClearSecondFactorAsync(OfficerUser user)
    {
        Check(await users.ResetAuthenticatorKeyAsync(user));
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        if (await users.GetAuthenticationTokenAsync(user, IdentityTokens, "RecoveryCodes") is not null)
        {
            Check(await users.RemoveAuthenticationTokenAsync(user, IdentityTokens, "RecoveryCodes"));
        }

        Check(await users.UpdateSecurityStampAsync(user));
    }

    private async Task RefuseIfLastAdministratorAsync(OfficerUser user, string what)
    {
        if (user.DisabledAtUtc is not null || !await users.IsInRoleAsync(user, Roles.Administrator))
        {
            return;
        }

        var others = await (
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            join other in db.Users on userRole.UserId equals other.Id
            where role.Name == Roles.Administrator && other.DisabledAtUtc == null && other.Id != user.Id
            select other.Id).AnyAsync();
        if (!others)
        {
            throw new AccountChangeRefused($"You cannot {what} the last enabled administrator. Give another account the Administrator role first.");
        }
    }

    private async Task<OfficerUser> FindAsync(string userId) =>
        await users.FindByIdAsync(userId) ?? throw new AccountChangeRefused("That account does not exist.");

    private async Task EnsureRolesAsync()
    {
        foreach (var name in Roles.All)
        {
            if (!await roles.RoleExistsAsync(name))
            {
                Check(await roles.CreateAsync(new IdentityRole(name)));
            }
        }
    }

    private Deferred DeferSaving(OfficerUser? user) => new((ProtectedTokenUserStore)store, db, user);

    private static List<string> Ordered(IEnumerable<string> roleNames) =>
        [.. Roles.All.Where(r => roleNames.Contains(r, StringComparer.OrdinalIgnoreCase))];

    private static string List(IEnumerable<string> values) =>
        string.Join(", ", values) is { Length: > 0 } list ? list : "none";

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new AccountChangeRefused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>
    /// While alive, Identity's store only tracks changes; the audit record saves them. Each of
    /// Identity's updates re-attaches the user, which takes its new concurrency stamp for the
    /// stored one; <see cref="Dispose"/> is too late, so the stored stamp is put back at every
    /// save (<see cref="DbContext.SavingChanges"/>), and a change made meanwhile elsewhere is still caught.
    /// </summary>
    private sealed class Deferred : IDisposable
    {
        private readonly ProtectedTokenUserStore _store;
        private readonly AppDbContext _db;
        private readonly OfficerUser? _user;
        private readonly string? _storedStamp;

        public Deferred(ProtectedTokenUserStore store, AppDbContext db, OfficerUser? user)
        {
            _store = store;
            _db = db;
            _user = user;
            _storedStamp = user?.ConcurrencyStamp;
            _store.AutoSaveChanges = false;
            _db.SavingChanges += RestoreStoredStamp;
        }

        private void RestoreStoredStamp(object? sender, SavingChangesEventArgs e)
        {
            if (_user is not null && _db.Entry(_user).State == EntityState.Modified)
            {
                _db.Entry(_user).Property(u => u.ConcurrencyStamp).OriginalValue = _storedStamp;
            }
        }

        public void Dispose()
        {
            _db.SavingChanges -= RestoreStoredStamp;
            _store.AutoSaveChanges = true;
        }
    }
}
