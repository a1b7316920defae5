using InfraTerra.Tests.Support;
using InfraTerra.Web.Infrastructure.Captcha;
using Microsoft.Extensions.Time.Testing;

namespace InfraTerra.Tests.Infrastructure.Captcha;

/// <summary>What a solved check is remembered for: one form, a bounded number of them, forgotten in order.</summary>
public sealed class OneTimeUseTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ASolution_IsClaimedByOneForm_AndPassesAgainOnlyForThatForm()
    {
        var used = new OneTimeUse(_clock);
        var expires = _clock.GetUtcNow().AddHours(2);

        Assert.True(used.TryClaim("nonce", "form-a", expires));
        Assert.True(used.TryClaim("nonce", "form-a", expires));
        Assert.False(used.TryClaim("nonce", "form-b", expires));
    }

    [Fact]
    public void HolderOf_NamesTheClaimingForm_UntilTheClaimExpires()
    {
        var used = new OneTimeUse(_clock);
        Assert.Null(used.HolderOf("nonce"));
        Assert.True(used.TryClaim("nonce", "form-a", _clock.GetUtcNow().AddMinutes(20)));

        Assert.Equal("form-a", used.HolderOf("nonce"));
        _clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Null(used.HolderOf("nonce"));
    }

    [Fact]
    public void ManyClaims_NeverHoldMoreThanTheCapacity_AndTheOldestGoesFirst()
    {
        var used = new OneTimeUse(_clock, capacity: 100);
        var expires = _clock.GetUtcNow().AddHours(2);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(used.TryClaim($"nonce-{i}", $"form-{i}", expires));
            Assert.True(used.Count <= 100);
        }

        Assert.Equal(100, used.Count);
        Assert.False(used.TryClaim("nonce-999", "another form", expires));
        Assert.False(used.TryClaim("nonce-900", "another form", expires));

        // nonce-0 was forgotten to make room; claiming it again makes room by forgetting nonce-900, the oldest held.
        Assert.True(used.TryClaim("nonce-0", "another form", expires));
        Assert.True(used.TryClaim("nonce-900", "yet another form", expires));
        Assert.False(used.TryClaim("nonce-902", "yet another form", expires));
        Assert.Equal(100, used.Count);
    }

    [Fact]
    public void ExpiredClaims_AreForgottenInOrder()
    {
        var used = new OneTimeUse(_clock);
        var start = _clock.GetUtcNow();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(used.TryClaim($"nonce-{i}", $"form-{i}", start.AddMinutes(10 + i)));
        }

        _clock.Advance(TimeSpan.FromMinutes(14.5));
        Assert.True(used.TryClaim("fresh", "form-fresh", start.AddHours(2)));

        // The first five (10 to 14 minutes) are gone, the rest and the new one are held.
        Assert.Equal(6, used.Count);
        Assert.True(used.TryClaim("nonce-4", "another form", start.AddHours(2)));
        Assert.False(used.TryClaim("nonce-5", "another form", start.AddHours(2)));

        _clock.Advance(TimeSpan.FromHours(3));
        Assert.True(used.TryClaim("last", "form-last", _clock.GetUtcNow().AddHours(2)));
        Assert.Equal(1, used.Count);
    }
}
