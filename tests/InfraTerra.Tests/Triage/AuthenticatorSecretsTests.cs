using System.Net;
using System.Security.Cryptography;
using InfraTerra.Tests.Support;
using InfraTerra.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InfraTerra.Tests.Triage;

/// <summary>A copy of the database alone must not let anyone compute an officer's codes.</summary>
public sealed class AuthenticatorSecretsTests
{
    [Fact]
    public async Task AuthenticatorKeyAndRecoveryCodes_AreNotStoredInPlain_AndBothStillSignIn()
    {
        using var factory = new AppFactory();
        var enrolment = await Officers.EnrolAsync(factory, "vault@example.org", Roles.Officer);
        var shownKey = enrolment.Key.Replace(" ", "", StringComparison.Ordinal);

        var stored = await factory.ScopedAsync(db => db.UserTokens.AsNoTracking().Select(t => t.Value ?? "").ToListAsync());

        Assert.Equal(2, stored.Count);
        Assert.All(stored, value =>
        {
            Assert.DoesNotContain(shownKey, value, StringComparison.OrdinalIgnoreCase);
            Assert.All(enrolment.RecoveryCodes, code => Assert.DoesNotContain(code, value, StringComparison.OrdinalIgnoreCase));
        });

        var withCode = await Officers.SignInAsync(factory, "vault@example.org", enrolment.Key);
        Assert.Equal(HttpStatusCode.OK, (await withCode.GetAsync("/triage")).StatusCode);

        var withRecoveryCode = Clients.New(factory);
        await Officers.SubmitPasswordAsync(withRecoveryCode, "vault@example.org", Officers.NewPassword);
        var recovered = await Clients.PostFormAsync(withRecoveryCode, "/account/login-2fa", f =>
        {
            f["Code"] = enrolment.RecoveryCodes[0];
            f["UseRecoveryCode"] = "true";
            return f;
        });
        Assert.Equal("/triage", recovered.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AProtectedKey_CopiedToAnotherOfficer_DoesNotOpen()
    {
        using var factory = new AppFactory();
        await Officers.EnrolAsync(factory, "first@example.org", Roles.Officer);
        await Officers.EnrolAsync(factory, "second@example.org", Roles.Officer);

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<OfficerUser>>();
        var db = scope.ServiceProvider.GetRequiredService<InfraTerra.Web.Data.AppDbContext>();
        var first = await users.FindByEmailAsync("first@example.org");
        var second = await users.FindByEmailAsync("second@example.org");
        var firstKey = await db.UserTokens.SingleAsync(t => t.UserId == first!.Id && t.Name == "AuthenticatorKey");
        var secondKey = await db.UserTokens.SingleAsync(t => t.UserId == second!.Id && t.Name == "AuthenticatorKey");
        secondKey.Value = firstKey.Value;
        await db.SaveChangesAsync();

        await Assert.ThrowsAnyAsync<CryptographicException>(() => users.GetAuthenticatorKeyAsync(second!));
    }
}
