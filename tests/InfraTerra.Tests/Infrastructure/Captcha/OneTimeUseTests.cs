using System.Security.Cryptography;
using InfraTerra.Web.Infrastructure.Captcha;
using InfraTerra.Web.Infrastructure.Crypto;
using Microsoft.Extensions.Time.Testing;

namespace InfraTerra.Tests.Infrastructure.Captcha;

/// <summary>
/// What a solved check is claimed for: one form, on every node that shares the claims' store; what
/// the store is told (hashes only); and what this node remembers in front of it.
/// </summary>
public sealed class OneTimeUseTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly TipKeys _keys = new("k1", RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task ASolution_IsClaimedByOneForm_AndPassesAgainOnlyForThatForm()
    {
        var used = new OneTimeUse(_keys, new StoreOfClaims(_clock), _clock);
        var expires = _clock.GetUtcNow().AddHours(2);

        Assert.True(await used.TryClaimAsync("altcha", "nonce", "form-a", expires, None));
        Assert.True(await used.TryClaimAsync("altcha", "nonce", "form-a", expires, None));
        Assert.False(await used.TryClaimAsync("altcha", "nonce", "form-b", expires, None));
        Assert.True(await used.TryClaimAsync("question", "nonce", "form-b", expires, None));
    }

    [Fact]
    public async Task TwoNodes_SharingTheStore_GiveASolutionToOneFormOnly()
    {
        var store = new StoreOfClaims(_clock);
        var nodeA = new OneTimeUse(_keys, store, _clock);
        var nodeB = new OneTimeUse(_keys, store, _clock);
        var expires = _clock.GetUtcNow().AddMinutes(20);

        Assert.True(await nodeA.TryClaimAsync("altcha", "nonce", "form-a", expires, None));

        Assert.Equal(ClaimHolder.AnotherForm, await nodeB.HolderOfAsync("altcha", "nonce", "form-b", None));
        Assert.Equal(ClaimHolder.ThisForm, await nodeB.HolderOfAsync("altcha", "nonce", "form-a", None));
        Assert.False(await nodeB.TryClaimAsync("altcha", "nonce", "form-b", expires, None));
        Assert.True(await nodeB.TryClaimAsync("altcha", "nonce", "form-a", expires, None));
    }

    [Fact]
    public async Task TheStore_IsGivenHashes_NeverTheNonceOrTheFormKey()
    {
        var store = new StoreOfClaims(_clock);
        var used = new OneTimeUse(_keys, store, _clock);

        await used.TryClaimAsync("altcha", "the-nonce", "the-form-key", _clock.GetUtcNow().AddMinutes(20), None);

        var (id, claim) = Assert.Single(store.Claims);
        Assert.Equal(OneTimeUse.Id("altcha", "the-nonce"), id);
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.Matches("^[0-9a-f]{64}$", claim.Owner);
        Assert.DoesNotContain("the-form-key", claim.Owner, StringComparison.Ordinal);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData("the-form-key"u8)), claim.Owner);
    }

    [Fact]
    public async Task HolderOf_NamesTheClaimingForm_UntilTheClaimExpires()
    {
        var used = new OneTimeUse(_keys, new StoreOfClaims(_clock), _clock);
        Assert.Equal(ClaimHolder.Nobody, await used.HolderOfAsync("altcha", "nonce", "form-a", None));
        Assert.True(await used.TryClaimAsync("altcha", "nonce", "form-a", _clock.GetUtcNow().AddMinutes(20), None));

        Assert.Equal(ClaimHolder.ThisForm, await used.HolderOfAsync("altcha", "nonce", "form-a", None));
        _clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(ClaimHolder.Nobody, await used.HolderOfAsync("altcha", "nonce", "form-a", None));
    }

    [Fact]
    public async Task AHolderThisNodeLearnt_IsAnsweredFromMemory_WithoutAskingTheStore()
    {
        var store = new StoreOfClaims(_clock);
        var used = new OneTimeUse(_keys, store, _clock);
        var expires = _clock.GetUtcNow().AddMinutes(20);
        Assert.True(await used.TryClaimAsync("altcha", "nonce", "form-a", expires, None));
        var calls = store.Calls;

        Assert.Equal(ClaimHolder.AnotherForm, await used.HolderOfAsync("altcha", "nonce", "form-b", None));
        Assert.False(await used.TryClaimAsync("altcha", "nonce", "form-b", expires, None));
        Assert.True(await used.TryClaimAsync("altcha", "nonce", "form-a", expires, None));

        Assert.Equal(calls, store.Calls);
    }

    [Fact]
    public async Task ManyClaims_NeverRememberMoreThanTheCapacity_AndAForgottenOneIsAskedOfTheStore()
    {
        var store = new StoreOfClaims(_clock);
        var used = new OneTimeUse(_keys, store, _clock, capacity: 100);
        var expires = _clock.GetUtcNow().AddHours(2);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(await used.TryClaimAsync("altcha", $"nonce-{i}", $"form-{i}", expires, None));
            Assert.True(used.Count <= 100);
        }

        Assert.Equal(100, used.Count);
        var calls = store.Calls;

        // nonce-0 was forgotten here, but the store still holds it for its form.
        Assert.False(await used.TryClaimAsync("altcha", "nonce-0", "another form", expires, None));
        Assert.Equal(calls + 1, store.Calls);
        Assert.False(await used.TryClaimAsync("altcha", "nonce-999", "another form", expires, None));
        Assert.Equal(calls + 1, store.Calls);
    }
}
