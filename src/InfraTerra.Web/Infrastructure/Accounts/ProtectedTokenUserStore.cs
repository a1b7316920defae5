using InfraTerra.Web.Data;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace InfraTerra.Web.Infrastructure.Accounts;

/// <summary>
/// Identity keeps an officer's authenticator key and recovery codes in <c>AspNetUserTokens</c>.
/// In plain, a copy of the database would let anyone compute the officer's codes, so every token
/// is encrypted with Data Protection (the certificate-protected key ring) under a purpose naming
/// the user and the token: a value copied to another row or another officer does not open.
/// Values written before this store existed are read as they are and protected at the next write.
/// </summary>
public sealed class ProtectedTokenUserStore(AppDbContext db, IDataProtectionProvider protection, IdentityErrorDescriber? describer = null)
    : UserStore<OfficerUser, IdentityRole, AppDbContext>(db, describer)
{
    public const string Marker = "protected:";

    private readonly IDataProtector _protector = protection.CreateProtector("InfraTerra.Accounts.UserTokens.v1");

    public override Task SetTokenAsync(OfficerUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var stored = value is null ? null : Marker + For(user, loginProvider, name).Protect(value);
        return base.SetTokenAsync(user, loginProvider, name, stored, cancellationToken);
    }

    public override async Task<string?> GetTokenAsync(OfficerUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var stored = await base.GetTokenAsync(user, loginProvider, name, cancellationToken);
        return stored is not null && stored.StartsWith(Marker, StringComparison.Ordinal)
            ? For(user, loginProvider, name).Unprotect(stored[Marker.Length..])
            : stored;
    }

    private IDataProtector For(OfficerUser user, string loginProvider, string name) =>
        _protector.CreateProtector(user.Id, loginProvider, name);
}
