using System.Security.Claims;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace InfraTerra.Web.Infrastructure.Accounts;

/// <summary>
/// Every few minutes each session is checked again (<see cref="OfficerSessions"/>): a changed
/// password or second factor changes the security stamp, and a locked account (Identity's way to
/// disable one) or a disabled one fails the check too, so that session ends at its next request.
/// </summary>
public sealed class OfficerSignInManager(
    UserManager<OfficerUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<OfficerUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<OfficerUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<OfficerUser> confirmation)
    : SignInManager<OfficerUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<OfficerUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is null || user.DisabledAtUtc is not null || await UserManager.IsLockedOutAsync(user) ? null : user;
    }

    /// <summary>Checked by every kind of sign-in (password, authenticator code, recovery code).</summary>
    public override async Task<bool> CanSignInAsync(OfficerUser user) =>
        user.DisabledAtUtc is null && await base.CanSignInAsync(user);
}
